"""Reading core zones and parcels from files: GeoJSON and XPlanGML, without GDAL.

Every reader returns features in EPSG:25832 or raises ReadError with all the problems it found:
a file is imported whole or not at all.
"""

from masterplan.land.readers.common import Feature, ReadError, ReadProblem
from masterplan.land.readers.geojson import read_geojson
from masterplan.land.readers.xplangml import XPlanDocument, read_xplangml

__all__ = ["Feature", "ReadError", "ReadProblem", "XPlanDocument", "read_geojson", "read_xplangml"]
