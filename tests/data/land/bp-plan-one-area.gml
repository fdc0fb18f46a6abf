<?xml version="1.0" encoding="UTF-8"?>
<!-- Sample data: an invented development plan in the style of Düsseldorf's; not a real plan. -->
<xplan:XPlanAuszug xmlns:xplan="http://www.xplanung.de/xplangml/5/4"
    xmlns:gml="http://www.opengis.net/gml/3.2"
    xmlns:xlink="http://www.w3.org/1999/xlink"
    gml:id="GML_auszug_1">
  <gml:boundedBy>
    <gml:Envelope srsName="EPSG:25832">
      <gml:lowerCorner>350000 5676000</gml:lowerCorner>
      <gml:upperCorner>350450 5676200</gml:upperCorner>
    </gml:Envelope>
  </gml:boundedBy>
  <gml:featureMember>
    <xplan:BP_Plan gml:id="GML_plan_1">
      <xplan:name>Bebauungsplan Nr. 5678/041 Gewerbegebiet am Hafen (Beispieldaten)</xplan:name>
      <xplan:nummer>5678/041</xplan:nummer>
      <xplan:gemeinde>
        <xplan:XP_Gemeinde>
          <xplan:ags>05111000</xplan:ags>
          <xplan:gemeindeName>Düsseldorf</xplan:gemeindeName>
        </xplan:XP_Gemeinde>
      </xplan:gemeinde>
      <xplan:planArt>1000</xplan:planArt>
      <xplan:bereich xlink:href="#GML_bereich_1"/>
    </xplan:BP_Plan>
  </gml:featureMember>
  <gml:featureMember>
    <xplan:BP_Bereich gml:id="GML_bereich_1">
      <xplan:nummer>0</xplan:nummer>
      <xplan:gehoertZuPlan xlink:href="#GML_plan_1"/>
    </xplan:BP_Bereich>
  </gml:featureMember>
  <gml:featureMember>
    <xplan:BP_BaugebietsTeilFlaeche gml:id="GML_gi_1">
      <xplan:ebene>0</xplan:ebene>
      <xplan:gehoertZuBereich xlink:href="#GML_bereich_1"/>
      <xplan:rechtscharakter>1000</xplan:rechtscharakter>
      <xplan:position>
        <gml:Polygon gml:id="GML_gi_1_geom" srsName="EPSG:25832">
          <gml:exterior>
            <gml:Ring>
              <gml:curveMember>
                <gml:Curve gml:id="GML_gi_1_curve">
                  <gml:segments>
                    <gml:LineStringSegment interpolation="linear">
                      <gml:posList>350000 5676000 350200 5676000 350200 5676150</gml:posList>
                    </gml:LineStringSegment>
                    <gml:LineStringSegment interpolation="linear">
                      <gml:posList>350200 5676150 350000 5676150 350000 5676000</gml:posList>
                    </gml:LineStringSegment>
                  </gml:segments>
                </gml:Curve>
              </gml:curveMember>
            </gml:Ring>
          </gml:exterior>
        </gml:Polygon>
      </xplan:position>
      <xplan:flaechenschluss>true</xplan:flaechenschluss>
      <xplan:allgArtDerBaulNutzung>3000</xplan:allgArtDerBaulNutzung>
      <xplan:besondereArtDerBaulNutzung>1800</xplan:besondereArtDerBaulNutzung>
    </xplan:BP_BaugebietsTeilFlaeche>
  </gml:featureMember>
  <gml:featureMember>
    <xplan:BP_BaugebietsTeilFlaeche gml:id="GML_mi_1">
      <xplan:ebene>0</xplan:ebene>
      <xplan:gehoertZuBereich xlink:href="#GML_bereich_1"/>
      <xplan:rechtscharakter>1000</xplan:rechtscharakter>
      <xplan:position>
        <gml:Polygon gml:id="GML_mi_1_geom" srsName="http://www.opengis.net/def/crs/EPSG/0/25832">
          <gml:exterior>
            <gml:LinearRing>
              <gml:posList>350350 5676000 350450 5676000 350450 5676200 350350 5676200 350350 5676000</gml:posList>
            </gml:LinearRing>
          </gml:exterior>
        </gml:Polygon>
      </xplan:position>
      <xplan:flaechenschluss>true</xplan:flaechenschluss>
      <xplan:allgArtDerBaulNutzung>2000</xplan:allgArtDerBaulNutzung>
      <xplan:besondereArtDerBaulNutzung>1500</xplan:besondereArtDerBaulNutzung>
    </xplan:BP_BaugebietsTeilFlaeche>
  </gml:featureMember>
</xplan:XPlanAuszug>
