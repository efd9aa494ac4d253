// Swagger UI on Aide's own description of its API (GET /api/openapi.json).
window.ui = SwaggerUIBundle({ url: "/api/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
