import { expect } from "chai";
import { CheckpointError, formatCheckpoint, parseCheckpoint, parseVerifierKey, signNote, verifierKey, verifyCheckpoint } from "../../sdk/src/ledger";

const root = new Uint8Array(32).map((_, i) => i);

describe("C2SP checkpoints and signed notes (sdk/src/ledger/checkpoint)", () => {
  it("formats and parses a tlog-checkpoint body", () => {
    const body = formatCheckpoint({ origin: "cityledger.local/31337", size: 8, root, extensions: ["anchored 3"] });
    expect(body).to.equal(`cityledger.local/31337\n8\n${Buffer.from(root).toString("base64")}\nanchored 3\n`);
    const parsed = parseCheckpoint(body);
    expect(parsed).to.deep.include({ origin: "cityledger.local/31337", size: 8, extensions: ["anchored 3"] });
    expect(Buffer.from(parsed.root).equals(Buffer.from(root))).to.equal(true);
  });

  it("verifies notes for keys whose base64 contains '+' (only the first two '+' separate fields)", () => {
    let checked = 0;
    for (let fill = 1; fill < 200 && checked < 3; fill++) {
      const signer = { name: "cityledger.local/31337", privateKey: new Uint8Array(32).fill(fill) };
      const key = verifierKey(signer);
      if (key.split("+").length <= 3) continue;
      checked++;
      const note = signNote(formatCheckpoint({ origin: signer.name, size: fill, root }), signer);
      expect(verifyCheckpoint(note, key).size).to.equal(fill);
      expect(parseVerifierKey(key).name).to.equal(signer.name);
    }
    expect(checked, "no key with '+' found to test").to.equal(3);
  });

  it("rejects altered notes, other keys and malformed input with a CheckpointError", () => {
    const signer = { name: "log.example/1", privateKey: new Uint8Array(32).fill(3) };
    const other = { name: "log.example/1", privateKey: new Uint8Array(32).fill(4) };
    const note = signNote(formatCheckpoint({ origin: signer.name, size: 5, root }), signer);
    const reject = (fn: () => unknown, message: RegExp) => expect(fn).to.throw(CheckpointError, message);
    reject(() => verifyCheckpoint(note.replace("\n5\n", "\n6\n"), verifierKey(signer)), /does not verify/);
    reject(() => verifyCheckpoint(note, verifierKey(other)), /no signature by/);
    reject(() => verifyCheckpoint(note.split("\n\n")[0], verifierKey(signer)), /no signature block/);
    reject(() => parseVerifierKey("just-a-name"), /name\+hash\+keydata/);
    reject(() => parseCheckpoint("origin\nten\nAAAA\n"), /not a decimal integer/);
    reject(() => parseCheckpoint("origin\n1\n"), /at least 3/);
    reject(() => formatCheckpoint({ origin: "two\nlines", size: 1, root }), /one non-empty line/);
  });
});
