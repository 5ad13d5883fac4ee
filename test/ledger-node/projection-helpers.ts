import { expect } from "chai";
import type { FastifyInstance } from "fastify";
import { CityEventDecoder } from "@cityledger/sdk/ledger";
import type { DecodedEntry, RawLog } from "../../ledger-node/src/types";
import { ProjectionEngine, canonicalJson, type Projection } from "../../ledger-node/src/projections";
import { PROBLEM_BASE } from "../../ledger-node/src/api/problems";
import type { CityFixture } from "../fixtures";
import { cityLogs } from "./projections.scenario.test";

/** Every log of the city's contracts, decoded (viem's decoder) and applied to a fresh engine. */
export async function projectCity(f: CityFixture): Promise<{ logs: RawLog[]; entries: DecodedEntry[]; engine: ProjectionEngine }> {
  const logs = await cityLogs(f);
  const decoder = new CityEventDecoder(f.record);
  const entries: DecodedEntry[] = [];
  logs.forEach((log, seq) => {
    const event = decoder.decode(log);
    if (event) entries.push({ seq, log, event, timestamp: 0 });
  });
  const engine = new ProjectionEngine();
  engine.apply(entries);
  return { logs, entries, engine };
}

/**
 * Replay determinism of `projection`: the same state hash from a second engine and from the fast decoder, and its
 * state survives encode → canonical JSON → decode → encode unchanged. Returns the decoded state.
 */
export function expectDeterministic<S>(
  f: CityFixture,
  projection: Projection<S>,
  run: { logs: RawLog[]; entries: DecodedEntry[]; engine: ProjectionEngine },
): S {
  const again = new ProjectionEngine();
  again.apply(run.entries);
  expect(again.stateHash()).to.equal(run.engine.stateHash());
  const fast = new ProjectionEngine();
  fast.applyLog(run.logs.map((log, seq) => ({ seq, log, leafInput: new Uint8Array(), leafHash: new Uint8Array() })), new CityEventDecoder(f.record));
  expect(fast.stateHash()).to.equal(run.engine.stateHash());
  const json = canonicalJson(projection.encode(run.engine.state(projection)));
  const decoded = projection.decode(JSON.parse(json));
  expect(canonicalJson(projection.encode(decoded))).to.equal(json);
  expect(run.engine.stateHashes().domains[projection.name]).to.match(/^[0-9a-f]{64}$/);
  return decoded;
}

/** Asserts that GET `url` answers an RFC 9457 problem of `status` and `kind`. */
export function problemChecker(app: FastifyInstance) {
  return async (url: string, status: number, kind: string) => {
    const res = await app.inject({ url });
    expect(res.statusCode, `${url}: ${res.body}`).to.equal(status);
    expect(res.headers["content-type"]).to.match(/^application\/problem\+json/);
    expect(res.json().type).to.equal(`${PROBLEM_BASE}${kind}`);
  };
}
