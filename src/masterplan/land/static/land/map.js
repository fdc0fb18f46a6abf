// The land maps (Leaflet, vendored): the map page, the small maps of a zone and a parcel, and
// the drawing map above the polygon field of the zone and parcel forms. Every page works
// without it: the table of parcels is the map's text alternative, and the polygon field takes
// pasted GeoJSON. No inline scripts (CSP): options come from data attributes and json_script.
"use strict";

(function () {
  const COLOURS = {
    status: { available: "#2e7d32", reserved: "#b26a00", sold: "#b71c1c", in_use: "#546e7a" },
    availability: { immediate: "#1b5e20", medium_term: "#01579b", restricted: "#6a1b9a" },
  };
  const ZONE_STYLE = { color: "#0d47a1", weight: 2, dashArray: "6 4", fillOpacity: 0.04 };
  const OBJECT_STYLE = { color: "#0d47a1", weight: 3, fillOpacity: 0.15 };
  const lang = document.documentElement.lang || "de";
  const numbers = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
  const hectares = new Intl.NumberFormat(lang, {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });

  function labels() {
    const script = document.getElementById("map-labels");
    if (!script) return { status: [], availability: [] };
    return JSON.parse(script.textContent);
  }

  function labelOf(list, key) {
    const found = (list || []).find((pair) => pair[0] === key);
    return found ? found[1] : key;
  }

  // Leaflet's own words (the title of its link in the attribution, the close button of a
  // popup) are English; the page gives them in its language (meta land-map-texts).
  function translatedPrefix(prefix, title) {
    const box = document.createElement("template");
    box.innerHTML = prefix;
    const link = box.content.querySelector("a");
    if (link && title) link.title = title;
    return box.innerHTML;
  }

  function translate(map, texts) {
    const control = map.attributionControl;
    if (control) control.setPrefix(translatedPrefix(control.options.prefix, texts.leafletTitle));
    map.on("popupopen", (event) => {
      const close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close && texts.closePopup) close.setAttribute("aria-label", texts.closePopup);
    });
  }

  function baseMap(element) {
    const map = L.map(element, { zoomSnap: 1, zoomControl: false });
    const texts = document.querySelector('meta[name="land-map-texts"]');
    L.control
      .zoom(texts ? { zoomInTitle: texts.dataset.zoomIn, zoomOutTitle: texts.dataset.zoomOut } : {})
      .addTo(map);
    if (texts) translate(map, texts.dataset);
    const tiles = element.dataset.tiles;
    if (tiles) {
      L.tileLayer(tiles, { attribution: element.dataset.attribution || "", maxZoom: 19 }).addTo(map);
    } else {
      element.classList.add("land-map--plain");
    }
    return map;
  }

  function pageUrl(template, id) {
    return template.replace(/\/0\/$/, "/" + id + "/");
  }

  function popupFor(properties, element, names) {
    const box = document.createElement("div");
    const title = document.createElement("strong");
    title.textContent = properties.name;
    box.appendChild(title);
    if (properties.kind === "parcel") {
      const facts = document.createElement("p");
      facts.textContent = [
        numbers.format(properties.area_m2) + " m² (" + hectares.format(properties.area_m2 / 10000) + " ha)",
        properties.area_type,
        labelOf(names.status, properties.status),
        labelOf(names.availability, properties.availability),
      ].join(" · ");
      box.appendChild(facts);
    }
    const template = properties.kind === "zone" ? element.dataset.zoneUrl : element.dataset.parcelUrl;
    if (template) {
      const link = document.createElement("a");
      link.href = pageUrl(template, properties.id);
      link.className = "kern-link";
      link.textContent = element.dataset.openLabel || properties.name;
      box.appendChild(link);
    }
    return box;
  }

  function colouring() {
    const select = document.getElementById("map-colour");
    return select ? select.value : "status";
  }

  function styleOf(feature) {
    if (feature.properties.kind === "zone") return ZONE_STYLE;
    const by = colouring();
    const colour = COLOURS[by][feature.properties[by]] || "#37474f";
    return { color: colour, fillColor: colour, weight: 1.5, fillOpacity: 0.45 };
  }

  function clusterMarker(feature, latlng) {
    const count = feature.properties.count;
    return L.marker(latlng, {
      keyboard: false,
      icon: L.divIcon({ className: "map-cluster", html: String(count), iconSize: [34, 34] }),
    });
  }

  // A layer that reloads the GeoJSON of the visible box (debounced, the older request
  // aborted), with the filters of `query()`. The number of features goes to `onLoad`.
  function liveLayer(map, element, query, onLoad) {
    const names = labels();
    const layer = L.geoJSON(null, {
      style: styleOf,
      pointToLayer: clusterMarker,
      onEachFeature(feature, shape) {
        if (feature.properties.kind !== "cluster") shape.bindPopup(popupFor(feature.properties, element, names));
      },
    }).addTo(map);
    let pending = null;
    let controller = null;
    function load() {
      if (controller) controller.abort();
      controller = new AbortController();
      const params = new URLSearchParams(query());
      params.set("bbox", map.getBounds().toBBoxString());
      params.set("zoom", String(map.getZoom()));
      fetch(element.dataset.dataUrl + "?" + params.toString(), {
        signal: controller.signal,
        credentials: "same-origin",
        headers: { Accept: "application/geo+json" },
      })
        .then((response) => (response.ok ? response.json() : Promise.reject(response)))
        .then((data) => {
          // A popup open before the reload (the map panned to show it) opens again.
          let open = null;
          layer.eachLayer((shape) => {
            if (shape.isPopupOpen && shape.isPopupOpen()) {
              const { kind, id } = shape.feature.properties;
              open = { kind, id, at: shape.getPopup().getLatLng() };
            }
          });
          layer.clearLayers();
          layer.addData(data);
          if (open !== null) {
            layer.eachLayer((shape) => {
              const { kind, id } = shape.feature.properties;
              if (kind === open.kind && id === open.id) shape.openPopup(open.at);
            });
          }
          element.dataset.loaded = String(data.features.length);
          if (onLoad) onLoad(data);
        })
        .catch((error) => {
          if (error && error.name === "AbortError") return;
          if (onLoad) onLoad(null);
        });
    }
    function reload() {
      clearTimeout(pending);
      pending = setTimeout(load, 200);
    }
    map.on("moveend", reload);
    return { layer, reload, restyle: () => layer.setStyle(styleOf) };
  }

  function fitTo(map, bounds) {
    const [west, south, east, north] = bounds.split(",").map(Number);
    map.fitBounds([
      [south, west],
      [north, east],
    ]);
  }

  function browse(element) {
    const map = baseMap(element);
    const form = document.getElementById("map-filters");
    const status = document.getElementById(element.dataset.status);
    const tableLink = document.getElementById("map-table-link");
    const messages = document.getElementById("map-messages").dataset;
    function query() {
      const data = new FormData(form);
      const params = new URLSearchParams();
      for (const [name, value] of data) if (value !== "" && name !== "colour") params.append(name, value);
      return params;
    }
    const live = liveLayer(map, element, query, (data) => {
      if (!status) return;
      if (data === null) status.textContent = messages.failed;
      else if (data.clustered) status.textContent = messages.clustered.replace("{count}", numbers.format(data.parcel_count));
      else {
        const zones = data.features.filter((f) => f.properties.kind === "zone").length;
        status.textContent = messages.shown
          .replace("{parcels}", numbers.format(data.parcel_count))
          .replace("{zones}", numbers.format(zones));
      }
    });
    function filtersChanged(event) {
      if (event) event.preventDefault();
      const params = query();
      const colour = colouring();
      for (const list of document.querySelectorAll("[data-legend]")) list.hidden = list.dataset.legend !== colour;
      if (colour !== "status") params.set("colour", colour);
      history.replaceState(null, "", "?" + params.toString());
      params.delete("colour");
      tableLink.href = tableLink.href.split("?")[0] + (params.toString() ? "?" + params.toString() : "");
      live.restyle();
      live.reload();
    }
    form.addEventListener("submit", filtersChanged);
    form.addEventListener("change", (event) => {
      if (event.target.id === "map-colour") {
        filtersChanged(event);
        return;
      }
      filtersChanged(event);
    });
    fitTo(map, element.dataset.bounds);
    live.reload();
  }

  function shapeOf(text) {
    if (!text) return null;
    try {
      return L.geoJSON(JSON.parse(text), { style: OBJECT_STYLE });
    } catch (error) {
      return null;
    }
  }

  function showObject(element) {
    const map = baseMap(element);
    const shape = shapeOf(element.dataset.geojson);
    if (!shape) return;
    shape.addTo(map);
    map.fitBounds(shape.getBounds(), { padding: [16, 16], maxZoom: 17 });
    if (element.dataset.mode === "zone" && element.dataset.dataUrl) {
      const zone = element.dataset.zoneFilter;
      liveLayer(map, element, () => new URLSearchParams({ zone })).reload();
    }
  }

  // --- Drawing --------------------------------------------------------------------------

  function polygonsOf(map) {
    const rings = [];
    map.eachLayer((layer) => {
      if (layer instanceof L.Polygon && layer.pm && !layer._pmTempLayer) {
        const geometry = layer.toGeoJSON(6).geometry;
        if (geometry.type === "Polygon") rings.push(geometry.coordinates);
        else if (geometry.type === "MultiPolygon") rings.push(...geometry.coordinates);
      }
    });
    if (rings.length === 0) return "";
    if (rings.length === 1) return JSON.stringify({ type: "Polygon", coordinates: rings[0] });
    return JSON.stringify({ type: "MultiPolygon", coordinates: rings });
  }

  function draw(field) {
    const options = document.querySelector('meta[name="land-map-options"]').dataset;
    const element = document.createElement("div");
    element.className = "land-map land-map--form";
    element.id = "land-draw-map";
    element.setAttribute("role", "region");
    element.setAttribute("aria-label", options.drawLabel);
    element.dataset.tiles = options.tiles;
    element.dataset.attribution = options.attribution;
    const help = document.createElement("p");
    help.className = "kern-body kern-body--small";
    help.id = "land-draw-help";
    help.textContent = options.drawHelp;
    element.setAttribute("aria-describedby", help.id);
    const wrapper = field.closest(".kern-form-input") || field.parentElement;
    wrapper.parentElement.insertBefore(help, wrapper);
    wrapper.parentElement.insertBefore(element, wrapper);
    const map = baseMap(element);
    fitTo(map, "6.68,51.12,6.94,51.29");
    const drawn = L.featureGroup().addTo(map);
    function fromField() {
      drawn.clearLayers();
      element.dataset.polygons = "0";
      const shape = shapeOf(field.value);
      if (!shape) return;
      shape.eachLayer((layer) => {
        drawn.addLayer(layer);
        layer.on("pm:edit", toField);
      });
      element.dataset.polygons = String(drawn.getLayers().length);
      if (drawn.getLayers().length) map.fitBounds(drawn.getBounds(), { padding: [16, 16], maxZoom: 17 });
    }
    function toField() {
      field.value = polygonsOf(map);
      element.dataset.polygons = String(drawn.getLayers().length);
    }
    fromField();
    if (map.pm) {
      map.pm.setLang(lang.startsWith("de") ? "de" : "en");
      map.pm.addControls({
        position: "topleft",
        drawMarker: false,
        drawCircleMarker: false,
        drawPolyline: false,
        drawCircle: false,
        drawText: false,
        cutPolygon: false,
        rotateMode: false,
      });
      map.on("pm:create", (event) => {
        drawn.addLayer(event.layer);
        event.layer.on("pm:edit", toField);
        toField();
      });
      map.on("pm:remove", (event) => {
        drawn.removeLayer(event.layer);
        toField();
      });
      // Geoman's buttons carry their name only as the title of their container.
      for (const button of element.querySelectorAll(".leaflet-buttons-control-button")) {
        const titled = button.closest("[title]");
        if (titled && !button.getAttribute("aria-label")) button.setAttribute("aria-label", titled.title);
      }
      map.on("pm:globaleditmodetoggled pm:globaldragmodetoggled", toField);
    }
    field.addEventListener("change", fromField);
    field.addEventListener("input", fromField);
    element.dataset.polygons = String(drawn.getLayers().length);
  }

  document.addEventListener("DOMContentLoaded", () => {
    if (typeof L === "undefined") return;
    for (const element of document.querySelectorAll(".land-map[data-mode]")) {
      if (element.dataset.mode === "browse") browse(element);
      else showObject(element);
    }
    const field = document.querySelector('meta[name="land-map-options"]') && document.querySelector('textarea[name="polygon"]');
    if (field) draw(field);
  });
})();
