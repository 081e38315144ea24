// acr-health's benchmarks: page weight, time to first result, diagnosis time against the
// critical path, and the helper's time, memory and size, each printed against its target.
// Every request goes to loopback servers started here. No figure fails the command: it exits
// non-zero only when a figure could not be measured.
//
// `cargo xtask bench` builds what this needs and runs it. By hand, after `cargo xtask build`
// and `cargo build --release -p acr-health-helper -p acr-health-lab`:
//
//     node benches/bench.mjs [weight] [first-result] [critical-path] [helper]
//
// With no names, every figure runs. ACR_HEALTH_BENCH_LOADS, _RUNS and _CHECKS set the number
// of page loads, registry runs and helper checks.

import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import { criticalPath } from "./critical-path.mjs";
import { timeToFirstResult } from "./first-result.mjs";
import { helperFigures } from "./helper.mjs";
import { describeMachine, markdown } from "./record.mjs";
import { startLab, settings } from "./support.mjs";
import { pageWeight } from "./weight.mjs";

const FIGURES = {
  weight: { needsLab: false, run: () => pageWeight() },
  "first-result": { needsLab: true, run: (lab) => timeToFirstResult(lab) },
  "critical-path": { needsLab: true, run: (lab) => criticalPath(lab) },
  helper: { needsLab: true, run: (lab) => helperFigures(lab) },
};

async function main() {
  const chosen = process.argv.slice(2);
  const unknown = chosen.filter((name) => !(name in FIGURES));
  if (unknown.length > 0) {
    console.error(`unknown figure ${unknown.join(", ")}; choose from ${Object.keys(FIGURES).join(", ")}`);
    process.exit(2);
  }
  const names = chosen.length > 0 ? chosen : Object.keys(FIGURES);

  const date = new Date().toISOString();
  const machine = describeMachine();
  console.log(`acr-health benchmarks, ${date}`);
  console.log(`machine: ${machine.nproc} CPUs (${machine.cpu}), ${machine.memory}, ${machine.os}`);

  const lab = names.some((name) => FIGURES[name].needsLab) ? await startLab() : null;
  const results = {};
  try {
    for (const name of names) {
      results[name] = await FIGURES[name].run(lab);
    }
  } finally {
    await lab?.stop();
  }

  console.log("\n== summary");
  const figures = Object.values(results).flatMap((result) => result.figures);
  for (const { name, value, unit, target, met } of figures) {
    console.log(`  ${met ? "met    " : "NOT met"}  ${name}: ${value.toFixed(2)}${unit ? ` ${unit}` : ""} (target ${target})`);
  }

  const outputDir = path.join(settings.root, "target", "bench");
  await mkdir(outputDir, { recursive: true });
  const file = path.join(outputDir, "results.json");
  await writeFile(file, JSON.stringify({ date, machine, results }, null, 2));
  const record = path.join(outputDir, "baseline.md");
  await writeFile(record, markdown(results, date, machine));
  console.log(`\nraw figures: ${file}\nas Markdown tables: ${record}`);
}

main().catch((error) => {
  console.error(`bench failed: ${error.stack ?? error}`);
  process.exit(1);
});
