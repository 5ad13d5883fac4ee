/** The audit report as a terminal summary (one line per result) and as Markdown an auditor can file. */
import type { AuditReport, CheckResult } from "./types";

const MARK: Record<CheckResult["status"], string> = { pass: "✔", fail: "✘", skip: "–" };

/** One line per result, then the verdict. */
export function terminalSummary(report: AuditReport): string {
  const lines = [
    `audit of chain ${report.chainId} at block ${report.block}: ${report.logSize} entries, root ${report.root}`,
    ...report.results.map((r) => `${MARK[r.status]} ${r.check.padEnd(18)} ${r.record}: ${r.message}`),
    "",
    report.ok
      ? `all good: ${report.summary.pass} passed, ${report.summary.skip} skipped (${(report.durationMs / 1000).toFixed(1)} s)`
      : `${report.summary.fail} DISCREPANC${report.summary.fail === 1 ? "Y" : "IES"}, first: ${firstFailure(report)} (${report.summary.pass} passed, ${report.summary.skip} skipped)`,
  ];
  return lines.join("\n");
}

export function firstFailure(report: AuditReport): string {
  const f = report.results.find((r) => r.status === "fail");
  return f ? `${f.check} ${f.record}: ${f.message}` : "";
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function markdownReport(report: AuditReport): string {
  const out: string[] = [];
  out.push(`# cityledger audit report`, "");
  out.push(report.ok ? "**Result: no discrepancy found.**" : `**Result: ${report.summary.fail} discrepanc${report.summary.fail === 1 ? "y" : "ies"} found.**`, "");
  out.push("| | |", "| --- | --- |");
  out.push(`| chain id | ${report.chainId} |`);
  out.push(`| RPC | ${cell(report.rpc)} |`);
  out.push(`| ledger node | ${report.node ? cell(report.node) : "not audited (no --node)"} |`);
  out.push(`| audited block | ${report.block} (${report.blockHash}) |`);
  out.push(`| blocks read | ${report.fromBlock} to ${report.block} |`);
  out.push(`| log size | ${report.logSize} entries |`);
  out.push(`| log root (RFC 6962, SHA-256) | \`${report.root}\` |`);
  out.push(`| started | ${report.startedAt}, took ${(report.durationMs / 1000).toFixed(1)} s |`);
  out.push(`| results | ${report.summary.pass} passed, ${report.summary.fail} failed, ${report.summary.skip} skipped |`, "");
  out.push("## How the log was re-derived", "");
  out.push(
    "Every log of the deployment record's contracts was read with `eth_getLogs` from the chain, from the deployment block " +
      "to the audited block, in (block, log index) order. Each became an RFC 6962 leaf, `abi.encode(chainId, blockNumber, " +
      "blockHash, txHash, logIndex, emitter, topics, data)`, hashed with SHA-256 into the Merkle tree whose root is above. " +
      "Nothing was taken from the ledger node without being compared with this log. Chain state (balances, supply, " +
      "reserve, anchors) was read at the audited block.",
    "",
  );
  out.push("## What was checked", "");
  for (const c of report.checks) out.push(`- \`${c.id}\`: ${c.title}`);
  out.push("");
  const failures = report.results.filter((r) => r.status === "fail");
  if (failures.length > 0) {
    out.push("## Discrepancies", "");
    out.push("| check | record | finding |", "| --- | --- | --- |");
    for (const f of failures) out.push(`| \`${f.check}\` | ${cell(f.record)} | ${cell(f.message)} |`);
    out.push("");
  }
  out.push("## Every result", "");
  out.push("| | check | record | finding | figures |", "| --- | --- | --- | --- | --- |");
  for (const r of report.results) {
    const figures = r.figures ? Object.entries(r.figures).map(([k, v]) => `${k}: ${v}`).join(", ") : "";
    out.push(`| ${MARK[r.status]} | \`${r.check}\` | ${cell(r.record)} | ${cell(r.message)} | ${cell(figures)} |`);
  }
  out.push("");
  out.push("Amounts are CityCoin (6 decimals, €1 = 1,000,000 base units); figures are in base units.", "");
  return out.join("\n");
}
