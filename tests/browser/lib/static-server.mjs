// A tiny HTTP server on 127.0.0.1, port 0, for the harness's own tests.
import http from "node:http";

/**
 * Serve `routes` (path -> { status?, headers?, body }) or, for other paths,
 * whatever `fallback(pathname)` returns (same shape, or null for 404).
 * Resolves to { url, close() }.
 */
export async function serve(routes, fallback = async () => null) {
  const server = http.createServer(async (request, response) => {
    try {
      const { pathname } = new URL(request.url, "http://localhost");
      const route = routes[pathname] ?? (await fallback(pathname));
      if (!route) {
        response.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
        response.end("not found");
        return;
      }
      response.writeHead(route.status ?? 200, {
        "content-type": "text/html; charset=utf-8",
        ...route.headers,
      });
      response.end(route.body);
    } catch (error) {
      response.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      response.end(String(error));
    }
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
