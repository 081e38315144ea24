// Writes the figures of one `bench.mjs` run as Markdown tables, with the machine they ran on,
// for the baseline in BENCHMARKS.md.

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";

import { median } from "./support.mjs";

/** Returns the value of the first `name: value` line of `text`, or "unknown". */
function field(text, name) {
  const line = text.split("\n").find((entry) => entry.startsWith(name));
  return line ? line.slice(line.indexOf(":") + 1).trim() : "unknown";
}

function readOr(file, fallback) {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return fallback;
  }
}

/** Describes the machine: `nproc`, memory, CPU model, OS and kernel. */
export function describeMachine() {
  const cpuinfo = readOr("/proc/cpuinfo", "");
  const meminfo = readOr("/proc/meminfo", "");
  const release = readOr("/etc/os-release", "");
  const prettyName = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(release)?.[1] ?? os.type();
  const memoryKb = Number(field(meminfo, "MemTotal").split(/\s+/)[0]);
  return {
    nproc: execFileSync("nproc", { encoding: "utf8" }).trim(),
    memory: Number.isFinite(memoryKb) ? `${(memoryKb / 1024 / 1024).toFixed(1)} GiB` : "unknown",
    cpu: field(cpuinfo, "model name"),
    os: `${prettyName}, Linux ${os.release()}`,
  };
}

const number = (value, digits) => value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

function figureRows(figures) {
  return figures.map(({ name, value, unit, target, met }) => `| ${name} | ${number(value, value < 10 ? 2 : 1)}${unit ? ` ${unit}` : ""} | ${target} | ${met ? "met" : "not met"} |`);
}

/** Returns the Markdown record of `results` (the object `bench.mjs` collects). */
export function markdown(results, date, machine) {
  const lines = [
    `Measured ${date} on ${machine.nproc} CPUs (\`nproc\`), ${machine.memory} of memory, CPU \`${machine.cpu}\`, ${machine.os}.`,
    "",
  ];
  const table = (title, rows) => lines.push(`### ${title}`, "", "| figure | value | target | |", "| --- | --- | --- | --- |", ...rows, "");

  if (results.weight) {
    const { files, total } = results.weight;
    table("1. Page weight", figureRows(results.weight.figures));
    lines.push("| file | raw | gzip -9 | brotli 11 |", "| --- | ---: | ---: | ---: |");
    for (const row of [...files, { file: "total", ...total }]) {
      lines.push(`| ${row.file} | ${number(row.raw, 0)} | ${number(row.gzip, 0)} | ${number(row.brotli, 0)} |`);
    }
    lines.push("");
    if (results.weight.groups) {
      lines.push("Where the wasm's bytes go (twiggy items in groups, bytes before compression):", "");
      lines.push("| group | bytes |", "| --- | ---: |");
      for (const [group, size] of results.weight.groups.slice(0, 14)) {
        lines.push(`| ${group} | ${number(size, 0)} |`);
      }
      lines.push("");
    }
  }
  if (results["first-result"]) {
    const { loads, figures } = results["first-result"];
    const rows = figureRows(figures);
    const firstNetwork = median(loads.map((load) => load.firstNetworkResult));
    rows.push(`| first row decided by a network response (no target) | ${number(firstNetwork, 1)} ms | | |`);
    rows.push(`| loads | ${loads.length} | >= 20 | |`);
    table("2. Time to first result", rows);
  }
  if (results["critical-path"]) {
    const { page, helper } = results["critical-path"];
    const rows = figureRows(results["critical-path"].figures);
    rows.push(`| page: chain of dependent requests | ${page.chain.length} x 100 ms | | |`);
    rows.push(`| helper: chain of dependent requests | ${helper.chain.length} x 100 ms | | |`);
    table("3. Diagnosis time against the critical path", rows);
  }
  if (results.helper) {
    table("4. The helper", figureRows(results.helper.figures));
  }
  return lines.join("\n");
}
