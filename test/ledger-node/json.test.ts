/**
 * The API's hand-written JSON (json.ts: entryJsonText, asciiJsonBytes) against what JSON.stringify makes of the same
 * values: /v1/entries writes its pages by hand for speed, and must say exactly what /v1/entries/:seq says.
 */
import { expect } from "chai";
import fc from "fast-check";
import { type Hex } from "viem";
import type { CityEventDecoder } from "@cityledger/sdk/ledger";
import { asciiJsonBytes, entryJsonText, entryToJson } from "../../ledger-node/src/api/json";
import { LogStore } from "../../ledger-node/src/log/store";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { syntheticLogs } from "./synthetic";

const signer = { name: "cityledger.test/31337", privateKey: new Uint8Array(32).fill(7) };
const genesis = { block: 0n, blockHash: `0x${"00".repeat(32)}` as Hex, size: 0 };

/** A decoder that explains every log as an event with these args. */
const decoderOf = (args: Record<string, unknown> | undefined) =>
  ({ decodeFast: () => (args ? { contract: "CityCoin", name: "Transfer", args } : undefined) }) as unknown as CityEventDecoder;

describe("the API's hand-written JSON (json.ts)", () => {
  let dir: string;
  let store: LogStore;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "cityledger-json-"));
    store = await LogStore.open({ dir, origin: signer.name, signer, genesis });
    await store.append(syntheticLogs(300), { block: 9n, blockHash: genesis.blockHash });
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("an entry's text is JSON.stringify(entryToJson(entry)), in and beyond complete tiles, decoded or not", async () => {
    const entries = await store.entries(250, 50); // 250..255 in the complete tile 0, the rest beyond it
    for (const args of [undefined, { from: "0x00000000000000000000000000000000000000a1", value: "12", flags: [true, null] }]) {
      const decoder = decoderOf(args);
      for (const entry of entries) expect(entryJsonText(entry, decoder)).to.equal(JSON.stringify(entryToJson(entry, decoder)));
    }
  });

  it("characters beyond ASCII in an event are escaped: the same JSON value, and the text is its own UTF-8", async () => {
    const [entry] = await store.entries(7, 1);
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "binary", maxLength: 40 }), async (title) => {
        const decoder = decoderOf({ title, note: `Cité ${title} 🚲` });
        const text = entryJsonText(entry, decoder);
        expect(JSON.parse(text)).to.deep.equal(entryToJson(entry, decoder));
        expect(/^[\x20-\x7e]*$/.test(text), text).to.equal(true);
      }),
      { numRuns: 200 },
    );
  });

  it("asciiJsonBytes joins the items with commas between the head and the tail", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme-ascii" }), fc.array(fc.string({ unit: "grapheme-ascii" })), fc.string({ unit: "grapheme-ascii" }), (head, items, tail) => {
        expect(asciiJsonBytes(head, items, tail).toString("latin1")).to.equal(head + items.join(",") + tail);
      }),
    );
  });
});
