/**
 * `cityledger bulletin`: fetches a month's data-use bulletin from a ledger node, checks its signature against the
 * node's key, and writes it to a folder in every format — the JSON the node signed with its note, Markdown, HTML, and
 * one CSV per table (rendered here by the SDK from the verified JSON, so the files say exactly what was signed).
 * Exit codes: 0 written, 1 the signature does not hold, 2 usage, 3 node unreachable.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  BULLETIN_TABLES,
  CheckpointError,
  LedgerRequestError,
  BulletinSignatureError,
  bulletinCsv,
  bulletinHtml,
  bulletinMarkdown,
  getBulletin,
  parsePeriod,
  verifyBulletin,
  type CityContext,
} from "@cityledger/sdk";

const USAGE = `Usage: cityledger bulletin --period YYYY-MM --out DIR [--node URL] [--key VERIFIER_KEY]

Writes a month's data-use bulletin, its signature checked, to DIR:
  bulletin.json (the bulletin, the node's signed note and key), bulletin.md, bulletin.html, and <table>.csv for
  each table (${BULLETIN_TABLES.join(", ")}).
  --period   the month, e.g. 2026-11 (UTC)
  --out      the folder to write (created if missing)
  --node     the ledger node's base URL [env CITY_NODE_URL] (default http://127.0.0.1:8787)
  --key      the node's published checkpoint verifier key [env CITY_NODE_KEY]; without it the key the node serves is used
             (and said so): a bulletin proves nothing against a key taken from the same node
Exit codes: 0 written, 1 the signature does not hold, 2 usage error, 3 node unreachable.`;

export async function runBulletin(argv: string[], out: Pick<Console, "log" | "error"> = console): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    out.log(USAGE);
    return 0;
  }
  let values: { period?: string; out?: string; node?: string; key?: string };
  try {
    values = parseArgs({ args: argv, options: { period: { type: "string" }, out: { type: "string" }, node: { type: "string" }, key: { type: "string" } }, strict: true }).values;
  } catch (error) {
    return usage(out, (error as Error).message);
  }
  if (!values.period) return usage(out, "--period is required (a month, e.g. 2026-11)");
  const period = parsePeriod(values.period);
  if (period === undefined) return usage(out, `--period must be a month written YYYY-MM, got "${values.period}"`);
  if (!values.out) return usage(out, "--out is required (the folder to write the bulletin to)");
  const nodeUrl = (values.node ?? process.env.CITY_NODE_URL ?? "http://127.0.0.1:8787").replace(/\/+$/, "");
  const key = values.key ?? process.env.CITY_NODE_KEY;
  // The bulletin is read from the node alone: no chain client is needed.
  const context: CityContext = { publicClient: undefined as never, addresses: {} as never, ledgerUrl: nodeUrl };

  out.error(`fetching the bulletin of ${values.period} from ${nodeUrl}…`);
  let answer: Awaited<ReturnType<typeof getBulletin>>;
  try {
    answer = await getBulletin(context, { period });
    if (!key) out.error(`warning: no --key given: checking the signature against the key the node serves (${answer.verifierKey}); pass the operator's published key to check the node itself`);
    verifyBulletin(answer.bulletin, answer.note, key ?? answer.verifierKey);
  } catch (error) {
    if (error instanceof LedgerRequestError && (error.type === "unreachable" || (error.status ?? 0) >= 500)) {
      out.error(`error: ${error.shortMessage}. Is the node running? Check --node.`);
      return 3;
    }
    if (error instanceof LedgerRequestError) return usage(out, error.shortMessage);
    if (error instanceof CheckpointError || error instanceof BulletinSignatureError) {
      out.error(`✘ the bulletin's signature does not hold: ${error.shortMessage}`);
      return 1;
    }
    throw error;
  }
  const { bulletin, note, verifierKey } = answer;
  out.error(`✔ signed by ${key ?? verifierKey}, computed at log size ${bulletin.log.size} (root ${bulletin.log.root})`);

  const dir = path.resolve(values.out);
  fs.mkdirSync(dir, { recursive: true });
  const files: [string, string][] = [
    ["bulletin.json", `${JSON.stringify({ bulletin, note, verifierKey }, null, 2)}\n`],
    ["bulletin.md", bulletinMarkdown(bulletin, note)],
    ["bulletin.html", bulletinHtml(bulletin, note)],
    ...BULLETIN_TABLES.map((table): [string, string] => [`${table}.csv`, bulletinCsv(bulletin, table)]),
  ];
  for (const [name, text] of files) {
    fs.writeFileSync(path.join(dir, name), text);
    out.error(`  wrote ${path.join(values.out, name)}`);
  }
  const violations = bulletin.violations.length;
  out.log(`bulletin ${bulletin.period}: ${bulletin.purposes.length} purposes, ${bulletin.purposes.reduce((s, p) => s + p.accesses, 0)} accesses, ${violations} violation${violations === 1 ? "" : "s"} → ${dir}`);
  return 0;
}

function usage(out: Pick<Console, "error">, message: string): number {
  out.error(`error: ${message}.\n\n${USAGE}`);
  return 2;
}
