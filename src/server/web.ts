// Serves the built web app: its files, and index.html for every other path so the app's own routes load.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";

export function webApp(webDir: string) {
  const app = new Hono();
  // The app runs no inline script or style, so the policy can be strict.
  app.use(
    "*",
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
      },
    }),
  );
  app.use("/assets/*", async (c, next) => {
    await next();
    if (c.res.status === 200) c.header("Cache-Control", "public, max-age=31536000, immutable");
  });
  app.use("*", serveStatic({ root: webDir }));
  app.get("*", async (c) => {
    const html = await readFile(join(webDir, "index.html"), "utf8").catch(() => null);
    if (html === null) return c.text("The web app is not built: run `npm run build`.", 503);
    c.header("Cache-Control", "no-cache");
    return c.html(html);
  });
  return app;
}
