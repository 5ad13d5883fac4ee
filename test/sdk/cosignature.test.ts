import { expect } from "chai";
import crypto from "node:crypto";
import {
  CheckpointError,
  CosignatureQuorumError,
  appendCosignatures,
  cosignCheckpoint,
  cosignerKey,
  formatCheckpoint,
  noteBody,
  parseCosignerKey,
  signNote,
  verifierKey,
  verifyCheckpoint,
  verifyCosignature,
} from "../../sdk/src/ledger";

/*
 * Vectors built from the C2SP texts alone (tlog-cosignature, signed-note), with Node's own SHA-256 and Ed25519 (not
 * the @noble code the SDK uses):
 * - a cosigner vkey is `name+hex(key ID)+base64(0x04 || public key)`, key ID = SHA-256(name || "\n" || 0x04 || key)[:4];
 * - a cosignature line is `— name base64(key ID || u64 big-endian timestamp || Ed25519 signature)`;
 * - the signed message is "cosignature/v1\n" + "time <decimal, no leading zero>\n" + the checkpoint body.
 */

const ORIGIN = "cityledger.local/31337";
const root = new Uint8Array(32).map((_, i) => 255 - i);
const log = { name: ORIGIN, privateKey: new Uint8Array(32).fill(21) };
const witness = (n: number) => ({ name: `witness.example/w${n}`, privateKey: new Uint8Array(32).fill(40 + n) });
const [w1, w2, w3, stranger] = [witness(1), witness(2), witness(3), witness(9)];
const body = formatCheckpoint({ origin: ORIGIN, size: 1234, root });
const otherBody = formatCheckpoint({ origin: ORIGIN, size: 1235, root });
const note = signNote(body, log);
const T = 1_765_000_000;

/** Node's Ed25519 private key object from a 32-byte seed (PKCS#8 DER: a fixed 16-byte prefix, then the seed). */
function nodeKey(seed: Uint8Array): crypto.KeyObject {
  return crypto.createPrivateKey({ key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]), format: "der", type: "pkcs8" });
}
function publicKeyOf(seed: Uint8Array): Buffer {
  return crypto.createPublicKey(nodeKey(seed)).export({ format: "der", type: "spki" }).subarray(-32);
}
function handKeyId(name: string, seed: Uint8Array): Buffer {
  return crypto.createHash("sha256").update(Buffer.concat([Buffer.from(`${name}\n`), Buffer.of(0x04), publicKeyOf(seed)])).digest().subarray(0, 4);
}
function handVkey(signer: { name: string; privateKey: Uint8Array }): string {
  return `${signer.name}+${handKeyId(signer.name, signer.privateKey).toString("hex")}+${Buffer.concat([Buffer.of(0x04), publicKeyOf(signer.privateKey)]).toString("base64")}`;
}
/** A cosignature line made by hand: `timeText` is what the message says, `stamp` what the 8-byte prefix says. */
function handLine(signer: { name: string; privateKey: Uint8Array }, text: string, stamp: bigint, timeText = stamp.toString()): string {
  const message = Buffer.from(`cosignature/v1\ntime ${timeText}\n${text}`);
  const signature = crypto.sign(null, message, nodeKey(signer.privateKey));
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64BE(stamp);
  return `\u2014 ${signer.name} ${Buffer.concat([handKeyId(signer.name, signer.privateKey), prefix, signature]).toString("base64")}`;
}
const witnessed = (...lines: string[]) => `${note}${lines.map((l) => `${l}\n`).join("")}`;
const policy = (quorum = 2, witnesses = [w1, w2, w3].map(handVkey)) => ({ log: verifierKey(log), witnesses, quorum });

describe("C2SP cosignatures and checkpoint policies (sdk/src/ledger/cosignature)", () => {
  it("makes the cosigner vkey the spec defines (type 0x04, key ID over name, newline, 0x04, key)", () => {
    expect(cosignerKey(w1)).to.equal(handVkey(w1));
    const parsed = parseCosignerKey(handVkey(w1));
    expect(parsed.name).to.equal(w1.name);
    expect(Buffer.from(parsed.hash).equals(handKeyId(w1.name, w1.privateKey))).to.equal(true);
    // The log's own key (type 0x01) is another key ID and type: refused as a cosigner key, and the reverse.
    expect(() => parseCosignerKey(verifierKey(log))).to.throw(CheckpointError, /type 0x04/);
    expect(() => verifyCheckpoint(note, handVkey(w1))).to.throw(CheckpointError, /type 0x01/);
  });

  it("cosigns as the spec says: key ID, big-endian timestamp, Ed25519 over the header, time line and body", () => {
    const line = cosignCheckpoint(body, w1, T);
    expect(line).to.equal(handLine(w1, body, BigInt(T)));
    const blob = Buffer.from(line.split(" ")[2], "base64");
    expect(blob.length).to.equal(76);
    expect(blob.readBigUInt64BE(4)).to.equal(BigInt(T));
    const message = Buffer.from(`cosignature/v1\ntime ${T}\n${body}`);
    expect(crypto.verify(null, message, crypto.createPublicKey(nodeKey(w1.privateKey)), blob.subarray(12))).to.equal(true);
    // And what a hand-made line says verifies with the SDK, timestamp included (zero is written "0").
    expect(verifyCosignature(body, handLine(w2, body, 0n), handVkey(w2))).to.deep.equal({ name: w2.name, key: handVkey(w2), timestamp: 0 });
  });

  it("accepts a note with a quorum of distinct listed witnesses, in policy order, and ignores unknown lines", () => {
    const unknownName = handLine(stranger, body, BigInt(T));
    // Same name as w3 but another key: its key ID differs, so it is someone else's line, ignored.
    const impostor = handLine({ name: w3.name, privateKey: stranger.privateKey }, body, BigInt(T));
    const checked = verifyCheckpoint(witnessed(unknownName, handLine(w2, body, BigInt(T + 5)), impostor, handLine(w1, body, BigInt(T))), policy());
    expect(checked.size).to.equal(1234);
    expect(checked.cosignatures).to.deep.equal([
      { name: w1.name, key: handVkey(w1), timestamp: T },
      { name: w2.name, key: handVkey(w2), timestamp: T + 5 },
    ]);
    // The key form still checks the log's signature alone, cosignatures or not.
    expect(verifyCheckpoint(witnessed(handLine(w1, body, 1n)), verifierKey(log)).size).to.equal(1234);
  });

  it("throws CosignatureQuorumError when too few listed witnesses cosigned, naming those who did", () => {
    const oneAndStrangers = witnessed(handLine(w1, body, BigInt(T)), handLine(stranger, body, BigInt(T)));
    try {
      verifyCheckpoint(oneAndStrangers, policy());
      expect.fail("a quorum of 2 was met by one witness");
    } catch (error) {
      expect(error).to.be.instanceOf(CosignatureQuorumError).and.to.be.instanceOf(CheckpointError);
      expect(error).to.include({ quorum: 2, name: "CosignatureQuorumError" });
      expect((error as CosignatureQuorumError).cosigners).to.deep.equal([w1.name]);
    }
    expect(() => verifyCheckpoint(note, policy(1))).to.throw(CosignatureQuorumError, /0 of the 1/);
  });

  it("counts a witness once: a line repeated, two lines of one witness, or one key listed twice", () => {
    const a = handLine(w1, body, BigInt(T));
    const b = handLine(w1, body, BigInt(T + 60));
    expect(() => verifyCheckpoint(witnessed(a, a, b), policy())).to.throw(CosignatureQuorumError, /1 of the 2/);
    expect(() => verifyCheckpoint(witnessed(a), policy(2, [handVkey(w1), handVkey(w1), handVkey(w2)]))).to.throw(CosignatureQuorumError);
    // One public key under two names is one witness too (the Ed25519 message does not commit to the name).
    const renamed = { name: "witness.example/alias", privateKey: w1.privateKey };
    expect(() => verifyCheckpoint(witnessed(a, handLine(renamed, body, BigInt(T))), policy(2, [handVkey(w1), handVkey(renamed), handVkey(w2)]))).to.throw(
      CosignatureQuorumError,
      /1 of the 2/,
    );
  });

  it("rejects the note when a listed witness's line is over another body or badly encoded", () => {
    const good = [handLine(w1, body, BigInt(T)), handLine(w2, body, BigInt(T))];
    const reject = (line: string, message: RegExp) => expect(() => verifyCheckpoint(witnessed(...good, line), policy())).to.throw(CheckpointError, message);
    reject(handLine(w3, otherBody, BigInt(T)), /by witness.example\/w3 does not verify/);
    // The prefix says one time, the signed message another.
    reject(handLine(w3, body, BigInt(T), String(T + 1)), /does not verify/);
    // A time line with a leading zero is not the encoding the spec fixes.
    reject(handLine(w3, body, 7n, "07"), /does not verify/);
    // Timestamps above 2^63 - 1 are malformed whatever the signature says.
    reject(handLine(w3, body, 2n ** 63n), /above 2\^63 - 1/);
    // A plain Ed25519 note signature (no timestamp) under the cosigner's key ID.
    const plain = signNote(body, w3).trimEnd().split("\n").pop()!;
    const blob = Buffer.from(plain.split(" ")[2], "base64");
    reject(`\u2014 ${w3.name} ${Buffer.concat([handKeyId(w3.name, w3.privateKey), blob.subarray(4)]).toString("base64")}`, /68 bytes, want 76/);
    // The same bad line by a key the policy does not list is ignored.
    expect(verifyCheckpoint(witnessed(...good, handLine(stranger, otherBody, BigInt(T))), policy()).cosignatures).to.have.length(2);
  });

  it("checks the log signature first: a forged body with genuine-looking cosignatures is refused", () => {
    const forged = signNote(otherBody, { name: ORIGIN, privateKey: new Uint8Array(32).fill(99) });
    const lines = [w1, w2, w3].map((w) => handLine(w, otherBody, BigInt(T)));
    expect(() => verifyCheckpoint(`${forged}${lines.join("\n")}\n`, policy(3))).to.throw(CheckpointError, /no signature by cityledger.local\/31337/);
  });

  it("refuses policies no note can meet and malformed input, with CheckpointError", () => {
    expect(() => verifyCheckpoint(note, policy(0))).to.throw(CheckpointError, /quorum 0/);
    expect(() => verifyCheckpoint(note, policy(4))).to.throw(CheckpointError, /quorum 4/);
    expect(() => verifyCheckpoint(note, policy(1.5))).to.throw(CheckpointError, /quorum 1.5/);
    expect(() => verifyCheckpoint(note, { ...policy(), witnesses: [verifierKey(log)] })).to.throw(CheckpointError, /list it under|type 0x04/);
    expect(() => verifyCheckpoint(witnessed("\u2014 w1 not base64!"), policy())).to.throw(CheckpointError, /malformed signature line|not base64/);
    expect(() => cosignCheckpoint(body.slice(0, -1), w1, T)).to.throw(CheckpointError, /newline/);
    expect(() => cosignCheckpoint(body, w1, -1)).to.throw(CheckpointError, /timestamp -1/);
    expect(() => cosignCheckpoint(body, { ...w1, name: "two words" }, T)).to.throw(CheckpointError, /key name/);
    expect(() => verifyCosignature(body, handLine(w1, body, 1n), handVkey(w2))).to.throw(CheckpointError, /not by witness.example\/w2/);
  });

  it("appends cosignature lines to a note once each, and the result verifies with the policy", () => {
    const lines = [cosignCheckpoint(noteBody(note), w1, T), `${cosignCheckpoint(body, w3, T + 1)}\n`];
    const once = appendCosignatures(note, lines);
    expect(appendCosignatures(once, lines)).to.equal(once);
    expect(once.startsWith(note)).to.equal(true);
    expect(once.trimEnd().split("\n").slice(-3).map((l) => l.split(" ")[1])).to.deep.equal([ORIGIN, w1.name, w3.name]);
    expect(verifyCheckpoint(once, policy()).cosignatures.map((c) => c.name)).to.deep.equal([w1.name, w3.name]);
    expect(() => appendCosignatures(note, ["not a signature line"])).to.throw(CheckpointError, /malformed signature line/);
  });
});
