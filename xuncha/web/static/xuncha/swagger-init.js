// Starts Swagger UI on /api/docs. A static file so the page needs no inline script (CSP).
"use strict";
(function () {
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    // "Try it out" from a signed-in session posts like the site's own forms: with the CSRF
    // token. Bearer tokens entered under "Authorize" need none.
    requestInterceptor: function (request) {
      if (request.method && request.method !== "GET") {
        request.headers[root.dataset.csrfHeader] = root.dataset.csrfToken;
      }
      return request;
    },
  });
})();
