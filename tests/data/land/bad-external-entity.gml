<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE xplan [
  <!ENTITY passwd SYSTEM "file:///etc/passwd">
]>
<xplan:XPlanAuszug xmlns:xplan="http://www.xplanung.de/xplangml/5/4"
    xmlns:gml="http://www.opengis.net/gml/3.2" gml:id="GML_xxe">
  <gml:featureMember>
    <xplan:BP_Plan gml:id="GML_plan_1">
      <xplan:name>&passwd;</xplan:name>
    </xplan:BP_Plan>
  </gml:featureMember>
</xplan:XPlanAuszug>
