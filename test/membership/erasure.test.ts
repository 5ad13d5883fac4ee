/**
 * The right to erasure (GDPR art. 17) on an append-only chain, as docs/erasure.md describes it: personal data never
 * reaches the chain; what does — a member's credential hash, an access record's pseudonym — links to a person only
 * through a salt held off chain, so deleting the salt erases the link.
 *
 * Each unlinkability test first runs the search that would find the person WITH the salt (or with an unsalted hash),
 * then the same search without it: the search is the same code, only the secret differs.
 */
import { expect } from "chai";
import { id } from "ethers";
import { AbiCoder, keccak256 as ethersKeccak } from "ethers";
import { bytesToHex, encodePacked, keccak256, toHex, type Hex } from "viem";
import { credentialHash, randomSalt } from "@cityledger/sdk";
import { cityFixture, type CityFixture } from "../fixtures";
import { Flags } from "../../scripts/lib/roles";

/** What a registrar keeps off chain: the person's file and the salt of its hash. */
interface RegistrarFile {
  fileRef: string;
  name: string;
  nationalId: string;
  salt?: Hex;
}

/** Every credential hash the chain holds, by member address (read from the registry's events, as anyone can). */
async function onChainCredentials(f: CityFixture): Promise<Map<Hex, string>> {
  const out = new Map<Hex, string>();
  for (const e of await f.registry.queryFilter(f.registry.filters.MemberRegistered())) out.set(e.args.credentialHash.toLowerCase() as Hex, e.args.account);
  return out;
}

/** The candidate identities an attacker can list: every file reference of the registrar's numbering. */
const CANDIDATES = Array.from({ length: 2_000 }, (_, i) => `FR-2026-${String(i).padStart(5, "0")}`);

/** Salts an attacker may guess: none, zero, the demo's published one, per-reference derivations. */
function guessedSalts(fileRef: string, extra: Hex[] = []): Hex[] {
  return [
    bytesToHex(new Uint8Array(32)),
    id("cityledger demo registrar salt") as Hex,
    keccak256(toHex(fileRef)),
    keccak256(toHex("salt")),
    ...extra,
  ];
}

const utf8Hex = (s: string) => Buffer.from(s, "utf8").toString("hex");

describe("right to erasure", () => {
  describe("the registrar's file, referenced by a salted hash", () => {
    let f: CityFixture;
    let file: RegistrarFile;
    let member: string;
    let txHash: string;

    before(async () => {
      f = await cityFixture();
      member = f.people[0].address;
      file = { fileRef: "FR-2026-01234", name: "Camille Martin", nationalId: "1 84 12 75 123 456 78", salt: randomSalt() };
      const tx = await f.registry.connect(f.registrar).register(member, 1, 3, Flags.RESIDENT, credentialHash({ salt: file.salt!, fileRef: file.fileRef }));
      txHash = (await tx.wait())!.hash;
      // Other members, so the search has more than one hash to look through.
      for (const [i, p] of f.people.slice(1, 6).entries()) {
        await (await f.registry.connect(f.registrar).register(p.address, 1, 1, Flags.RESIDENT, credentialHash({ salt: randomSalt(), fileRef: CANDIDATES[i] }))).wait();
      }
    });

    it("puts no personal data on chain: neither the transaction nor its logs carry the file reference, the name or the national id", async () => {
      const tx = (await f.registry.runner!.provider!.getTransaction(txHash))!;
      const receipt = (await tx.wait())!;
      const published = [tx.data, ...receipt.logs.flatMap((l) => [l.data, ...l.topics])].join("").toLowerCase();
      for (const secret of [file.fileRef, file.name, file.nationalId, "FR-2026", "Camille"]) expect(published).to.not.include(utf8Hex(secret));
      expect(published).to.not.include(file.salt!.slice(2));
      expect((await f.registry.memberOf(member)).credentialHash).to.equal(credentialHash({ salt: file.salt!, fileRef: file.fileRef }));
    });

    it("with the salt, the registrar links the on-chain hash to the person's file", async () => {
      const hashes = await onChainCredentials(f);
      expect(hashes.get(credentialHash({ salt: file.salt!, fileRef: file.fileRef }))).to.equal(member);
    });

    it("an unsalted hash would be found by listing the candidates: the reason for the salt", async () => {
      // The same search, against a registry that would hash the reference alone.
      const unsalted = new Set([keccak256(encodePacked(["string"], [file.fileRef]))]);
      const found = CANDIDATES.filter((ref) => unsalted.has(keccak256(encodePacked(["string"], [ref]))));
      expect(found).to.deep.equal([file.fileRef]);
    });

    it("once the salt is deleted, a search over every candidate and every guessable salt finds no one", async () => {
      const hashes = await onChainCredentials(f);
      const search = (salts: (ref: string) => Hex[]) =>
        CANDIDATES.flatMap((fileRef) => salts(fileRef).filter((salt) => hashes.has(credentialHash({ salt, fileRef }))).map(() => fileRef));
      // With the salt among the guesses, the search finds the person: the search works.
      expect(search((ref) => guessedSalts(ref, [file.salt!]))).to.deep.equal([file.fileRef]);
      // The registrar deletes the salt (its file may go too): the hash on chain now names no one.
      delete file.salt;
      expect(search((ref) => guessedSalts(ref))).to.deep.equal([]);
      // The hash stays on chain and in the log forever: only its meaning is gone.
      expect((await f.registry.memberOf(member)).credentialHash).to.match(/^0x[0-9a-f]{64}$/);
    });
  });

  describe("access-record pseudonyms, salted per processor and period", () => {
    let f: CityFixture;
    const PURPOSE = 1n;
    const PERIOD = 202611;
    const salt = randomSalt();
    /** The processor's access records of the period (off chain), one per member it accessed. */
    let records: { pseudonym: Hex; category: number; count: number }[];
    let members: string[];

    before(async () => {
      f = await cityFixture();
      const [processor, ...people] = f.people;
      members = people.slice(0, 6).map((p) => p.address);
      for (const m of members) await (await f.registry.connect(f.registrar).register(m, 1, 1, Flags.RESIDENT, credentialHash({ salt: randomSalt(), fileRef: m }))).wait();
      await (await f.datause.connect(f.council).registerProcessor(processor.address, id("Parking operator"), "mailto:dpo@parking.example")).wait();
      await (
        await f.datause.connect(processor).declarePurpose(1, { descriptionHash: id("occupancy study"), legalBasis: 4, categories: 2, retention: 90 * 86_400, recipients: [] })
      ).wait();
      // Records of members 1 and 4 only.
      records = await Promise.all([members[1], members[4]].map(async (m) => ({ pseudonym: (await f.datause.pseudonymOf(m, PURPOSE, salt)) as Hex, category: 2, count: 3 })));
      const saltHash = ethersKeccak(AbiCoder.defaultAbiCoder().encode(["bytes32"], [salt]));
      await (await f.datause.connect(processor).publishBatch(1n, PERIOD, id("records root"), records.length, saltHash)).wait();
    });

    /** Who a set of pseudonyms designates, searched over every member (public: the registry's events) and `salts`. */
    async function link(salts: Hex[]): Promise<string[]> {
      const wanted = new Set(records.map((r) => r.pseudonym));
      const found: string[] = [];
      for (const m of members) for (const s of salts) if (wanted.has((await f.datause.pseudonymOf(m, PURPOSE, s)) as Hex)) found.push(m);
      return found;
    }

    it("the pseudonym is keccak256(abi.encode(member, purpose, salt)), as the SDK-free recomputation gives", async () => {
      const expected = ethersKeccak(AbiCoder.defaultAbiCoder().encode(["address", "uint256", "bytes32"], [members[1], PURPOSE, salt]));
      expect(records[0].pseudonym).to.equal(expected);
    });

    it("with the period's salt, the pseudonyms link to exactly the members accessed", async () => {
      expect(await link([salt])).to.deep.equal([members[1], members[4]]);
    });

    it("without it, a search over every member and every guessable salt (the on-chain commitment included) finds no one", async () => {
      const batch = (await f.datause.queryFilter(f.datause.filters.BatchPublished()))[0];
      const commitment = batch.args.saltHash as Hex;
      const guesses = [...guessedSalts("202611"), commitment, toHex(PERIOD, { size: 32 }), keccak256(toHex(String(PERIOD)))];
      expect(await link(guesses)).to.deep.equal([]);
      // A salt of another period (or processor) does not link this one either.
      expect(await link([randomSalt()])).to.deep.equal([]);
    });

    it("once the processor reveals the salt, anyone can link the period's pseudonyms to addresses (not to people)", async () => {
      await (await f.datause.connect(f.people[0]).revealSalt(1n, PERIOD, salt)).wait();
      const revealed = (await f.datause.queryFilter(f.datause.filters.SaltRevealed()))[0].args.salt as Hex;
      expect(await link([revealed])).to.deep.equal([members[1], members[4]]);
    });
  });
});
