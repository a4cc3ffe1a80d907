/**
 * Takes the README's screenshots of the demo train at 1440×900: the program backlog (docs/screenshot.png) and an item
 * open in the panel (docs/screenshot-item.png). Run after building the web app:
 *
 *   npx vite build && npx tsx test/e2e/take-screenshots.ts
 */
import { join, resolve } from "node:path";
import { openBrowser, startTestServer } from "../browser.js";

const DOCS = resolve(import.meta.dirname, "..", "..", "docs");

async function main() {
  const server = await startTestServer({ demo: true });
  const browser = await openBrowser();
  try {
    await server.signIn(browser.context);
    const page = await browser.newPage();
    await page.goto(`${server.url}/arts/DPT`);
    await page.getByTestId("backlog-row").first().waitFor();
    await page.getByTestId("backlog-row").nth(2).click();
    await page.getByTestId("item-panel").waitFor();
    await page.getByTestId("panel-close").click();
    await page.getByTestId("backlog-grid").focus();
    await page.screenshot({ path: join(DOCS, "screenshot.png") });

    await page.getByTestId("backlog-row").nth(2).click();
    await page.getByTestId("field-title").waitFor();
    await page.getByTestId("comment").first().waitFor();
    await page.screenshot({ path: join(DOCS, "screenshot-item.png") });
    if (browser.errors.length) console.warn(browser.errors.join("\n"));
    console.log(`Wrote ${join(DOCS, "screenshot.png")} and ${join(DOCS, "screenshot-item.png")}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
