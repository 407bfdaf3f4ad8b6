import { launchChromium } from "./lib/display/export";
(async () => {
  const b = await launchChromium();
  const page = await b.context.newPage();
  for (let i = 0; i < 3; i++) {
    await page.goto("file:///tmp/rp/retrain.html", { waitUntil: "load" });
    console.log(await page.evaluate(() => JSON.stringify({ controls: performance.getEntriesByName("retrain-controls")[0]?.startTime, fcp: performance.getEntriesByType("paint").map((p) => p.name + ":" + p.startTime.toFixed(0)), load: performance.getEntriesByType("navigation")[0].duration })));
  }
  await b.close();
})();
