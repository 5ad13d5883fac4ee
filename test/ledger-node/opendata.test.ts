/**
 * Open data (/v1/opendata): the CSV tables and their schemas, the suppression of small payment cells, the DCAT-AP
 * catalogue checked against the mandatory properties of the DCAT-AP 3.0.0 SHACL shapes, and the problems bad
 * parameters get. The payments run on a real projection engine fed members and transfers; the other tables'
 * row builders on views shaped like their domains' queries.
 */
import { expect } from "chai";
import fc from "fast-check";
import type { FastifyInstance } from "fastify";
import { getAddress, keccak256, toHex, type Address } from "viem";
import { buildApp } from "../../ledger-node/src/api/app";
import { createQueries, type ProjectionQueries } from "../../ledger-node/src/domains";
import { ProjectionEngine } from "../../ledger-node/src/projections";
import type { DecodedEntry } from "../../ledger-node/src/types";
import {
  CATALOG_CONTEXT,
  DATASETS,
  DATA_THEME,
  MIN_CELL_PAYERS,
  csvField,
  datasetById,
  entryTimes,
  toCsv,
  type EntryTime,
  type OpenDataSource,
} from "../../ledger-node/src/opendata";
import { CsvSyntaxError, getOpenDataCatalog, getOpenDataTable, LedgerRequestError, parseCsv, type CityContext } from "@cityledger/sdk";
import { expectProblemOf, openEmptyContext } from "./helpers/api";
import { startTestNode, type TestNode } from "./helpers/node";
import { cityFixture, coins, issue, register } from "../fixtures";
import { syntheticLogs } from "./synthetic";

const DAY = 86_400;
const D0 = Date.UTC(2026, 10, 2) / 1000; // 2026-11-02T00:00:00Z
const ZERO = "0x0000000000000000000000000000000000000000" as Address;

const person = (i: number): Address => getAddress(keccak256(toHex(`member-${i}`)).slice(0, 42));

/** A city made of events: members in districts and transfers at given times, and the clock that dates them. */
class SyntheticCity {
  readonly entries: DecodedEntry[] = [];
  readonly times = new Map<number, number>();
  private readonly logs = syntheticLogs(2_000);

  private push(contract: string, name: string, args: Record<string, unknown>, time: number): void {
    const seq = this.entries.length;
    this.entries.push({ seq, log: this.logs[seq], event: { contract, name, args }, timestamp: 0 });
    this.times.set(seq, time);
  }

  member(account: Address, district: number): void {
    this.push("CityRegistry", "MemberRegistered", { account, college: 1, district, flags: 1n, credentialHash: keccak256(toHex(account)), since: D0 }, D0);
  }

  transfer(from: Address, to: Address, value: bigint, time: number): void {
    this.push("CityCoin", "Transfer", { from, to, value }, time);
  }

  queries(): ProjectionQueries {
    const engine = new ProjectionEngine();
    engine.apply(this.entries);
    return createQueries(engine);
  }

  entryTime: EntryTime = async (seqs) => seqs.map((s) => this.times.get(s)!);
}

describe("open data", () => {
  describe("CSV (RFC 4180)", () => {
    it("quotes fields with commas, quotes, CR or LF, doubles inner quotes, ends every record with CRLF", () => {
      const text = toCsv(["a", "b"], [["x,y", 'say "hi"'], ["line\nbreak", null], [12n, true]]);
      expect(text).to.equal('a,b\r\n"x,y","say ""hi"""\r\n"line\nbreak",\r\n12,true\r\n');
      expect(csvField(undefined)).to.equal("");
      expect(csvField("é€")).to.equal("é€");
    });

    it("the SDK's reader takes bare LF too, and refuses an unclosed quote or text after a closing quote", () => {
      expect(parseCsv("a,b\n1,\n")).to.deep.equal([["a", "b"], ["1", ""]]);
      expect(parseCsv("a,b")).to.deep.equal([["a", "b"]]);
      expect(() => parseCsv('a,"b\r\n')).to.throw(CsvSyntaxError, /never closed/);
      expect(() => parseCsv('"a"b\r\n')).to.throw(CsvSyntaxError, /after a closing quote/);
    });

    it("round-trips any text through the SDK's reader (fast-check)", () => {
      fc.assert(
        fc.property(fc.array(fc.array(fc.string({ unit: "binary" }), { minLength: 2, maxLength: 2 }), { maxLength: 8 }), (rows) => {
          expect(parseCsv(toCsv(["h1", "h2"], rows))).to.deep.equal([["h1", "h2"], ...rows]);
        }),
      );
    });
  });

  describe("payments by day and district", () => {
    const city = new SyntheticCity();
    // District 1: seven members, district 2: two.
    const d1 = [0, 1, 2, 3, 4, 5, 6].map(person);
    const d2 = [7, 8].map(person);
    const cityAccount = person(99);
    d1.forEach((m) => city.member(m, 1));
    d2.forEach((m) => city.member(m, 2));
    // Day 0, district 1: five payers (one pays twice) → published. District 2: two payers → suppressed.
    d1.slice(0, 5).forEach((m, i) => city.transfer(m, cityAccount, 1_000_000n * BigInt(i + 1), D0 + 3600 * i));
    city.transfer(d1[0], d2[0], 500_000n, D0 + 80_000);
    d2.forEach((m) => city.transfer(m, d1[6], 7_000_000n, D0 + 100));
    // Day 1, district 1: four payers → suppressed.
    d1.slice(1, 5).forEach((m) => city.transfer(m, d2[1], 2_000_000n, D0 + DAY + 10));
    // Not payments: an issue, a redemption burn, a city account paying a member.
    city.transfer(ZERO, d1[0], 50_000_000n, D0 + 5);
    city.transfer(d1[0], ZERO, 1_000_000n, D0 + 6);
    city.transfer(cityAccount, d1[1], 9_000_000n, D0 + 7);

    let app: FastifyInstance;
    let close: () => Promise<void>;
    before(async () => {
      const opened = await openEmptyContext("opendata");
      close = opened.close;
      app = await buildApp(opened.ctx, { queries: city.queries(), entryTime: city.entryTime, docs: false });
    });
    after(async () => {
      await app.close();
      await close();
    });

    it("publishes a cell of at least MIN_CELL_PAYERS payers and withholds the figures of smaller ones", async () => {
      expect(MIN_CELL_PAYERS).to.equal(5);
      const res = await app.inject({ url: "/v1/opendata/payments.csv" });
      expect(res.statusCode, res.body).to.equal(200);
      expect(res.headers["content-type"]).to.equal("text/csv; charset=utf-8; header=present");
      expect(res.headers.link).to.equal('</v1/opendata/payments.schema.json>; rel="describedby"; type="application/schema+json"');
      expect(res.body).to.match(/^date,district,payments,amount,payers,suppressed\r\n(.*\r\n)*$/);
      expect(parseCsv(res.body)).to.deep.equal([
        ["date", "district", "payments", "amount", "payers", "suppressed"],
        ["2026-11-02", "1", "6", String(15_000_000 + 500_000), "5", "false"],
        ["2026-11-02", "2", "", "", "", "true"],
        ["2026-11-03", "1", "", "", "", "true"],
      ]);
    });

    it("never names a member: no address appears in the table", async () => {
      const body = (await app.inject({ url: "/v1/opendata/payments.csv" })).body.toLowerCase();
      for (const m of [...d1, ...d2, cityAccount]) expect(body).to.not.include(m.toLowerCase().slice(2));
      expect(body).to.not.match(/0x[0-9a-f]{40}/);
    });

    it("filters on from and to (inclusive UTC days)", async () => {
      const rows = parseCsv((await app.inject({ url: "/v1/opendata/payments.csv?from=2026-11-03&to=2026-11-03" })).body);
      expect(rows.slice(1).map((r) => r[0])).to.deep.equal(["2026-11-03"]);
      const none = parseCsv((await app.inject({ url: "/v1/opendata/payments.csv?to=2026-11-01" })).body);
      expect(none).to.deep.equal([["date", "district", "payments", "amount", "payers", "suppressed"]]);
    });

    it("a published cell never counts fewer than MIN_CELL_PAYERS payers, and sums what it counts (fast-check)", async () => {
      const spec = datasetById("payments")!;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ payer: fc.nat(11), payee: fc.nat(11), amount: fc.bigInt(1n, 10n ** 9n), day: fc.nat(3), district: fc.nat(2) }), { maxLength: 60 }),
          async (payments) => {
            const c = new SyntheticCity();
            const districtOf = (i: number) => 1 + (i % 3);
            for (let i = 0; i < 12; i++) c.member(person(i), districtOf(i));
            for (const p of payments) c.transfer(person(p.payer), person(p.payee), p.amount, D0 + p.day * DAY + p.district);
            const rows = await spec.rows({ queries: c.queries(), entryTime: c.entryTime }, {});
            // The oracle: group by (day, payer's district) directly from the generated payments.
            const cells = new Map<string, { n: number; amount: bigint; payers: Set<number> }>();
            for (const p of payments) {
              const key = `${p.day}/${districtOf(p.payer)}`;
              const cell = cells.get(key) ?? { n: 0, amount: 0n, payers: new Set<number>() };
              cell.n += 1;
              cell.amount += p.amount;
              cell.payers.add(p.payer);
              cells.set(key, cell);
            }
            expect(rows).to.have.length(cells.size);
            for (const [date, district, n, amount, payers, suppressed] of rows) {
              const day = (Date.parse(`${String(date)}T00:00:00Z`) / 1000 - D0) / DAY;
              const cell = cells.get(`${day}/${String(district)}`)!;
              expect(suppressed).to.equal(cell.payers.size < MIN_CELL_PAYERS);
              if (suppressed) expect([n, amount, payers]).to.deep.equal([null, null, null]);
              else expect([n, amount, payers]).to.deep.equal([cell.n, cell.amount, cell.payers.size]);
            }
          },
        ),
        { numRuns: 40 },
      );
    });

    it("reads through the SDK over HTTP: city.opendata's table and catalogue, problems as LedgerRequestError", async () => {
      const opened = await openEmptyContext("opendata-sdk");
      const served = await buildApp(opened.ctx, { queries: city.queries(), entryTime: city.entryTime, docs: false });
      try {
        const url = await served.listen({ host: "127.0.0.1", port: 0 });
        const context = { ledgerUrl: url } as CityContext;
        const table = await getOpenDataTable(context, { dataset: "payments", from: "2026-11-02", to: "2026-11-02" });
        expect(table.header).to.deep.equal(["date", "district", "payments", "amount", "payers", "suppressed"]);
        expect(table.rows).to.deep.equal([
          ["2026-11-02", "1", "6", "15500000", "5", "false"],
          ["2026-11-02", "2", "", "", "", "true"],
        ]);
        const catalog = await getOpenDataCatalog(context);
        expect(catalog["@type"]).to.equal("dcat:Catalog");
        expect(catalog["dcat:dataset"].map((d) => d["dct:identifier"])).to.include("payments");
        let refused: unknown;
        await getOpenDataTable(context, { dataset: "payments", from: "2026-02-30" }).catch((e: unknown) => (refused = e));
        expect(refused).to.be.instanceOf(LedgerRequestError);
        expect(refused).to.deep.include({ type: "invalid-parameter", status: 400 });
      } finally {
        await served.close();
        await opened.close();
      }
    });

    it("answers 503 not-ready, not 500, when the node cannot date entries", async () => {
      const opened = await openEmptyContext("opendata-nodate");
      const bare = await buildApp(opened.ctx, { queries: city.queries(), docs: false });
      try {
        expectProblemOf(await bare.inject({ url: "/v1/opendata/payments.csv" }), 503, "not-ready");
        // The other tables need no dates, and the catalogue still lists payments, without its coverage.
        expect((await bare.inject({ url: "/v1/opendata/governance.csv" })).statusCode).to.equal(200);
        const doc = (await bare.inject({ url: "/v1/opendata/catalog" })).json();
        const payments = doc["dcat:dataset"].find((d: Record<string, unknown>) => d["dct:identifier"] === "payments");
        expect(payments).to.not.have.property("dct:temporal");
      } finally {
        await bare.close();
        await opened.close();
      }
    });

    describe("bad requests get problems", () => {
      const cases: [string, number, string][] = [
        ["/v1/opendata/nothing.csv", 404, "not-found"],
        ["/v1/opendata/datause-bulletins.csv", 404, "not-found"],
        ["/v1/opendata/payments.csv?from=2026-13-01", 400, "invalid-parameter"],
        ["/v1/opendata/payments.csv?from=2026-02-30", 400, "invalid-parameter"],
        ["/v1/opendata/payments.csv?from=26-11-01", 400, "invalid-parameter"],
        ["/v1/opendata/payments.csv?from=2026-11-05&to=2026-11-01", 400, "invalid-parameter"],
        ["/v1/opendata/payments.csv?from=2026-01-01&to=2027-01-02", 400, "out-of-range"],
        ["/v1/opendata/nothing.schema.json", 404, "not-found"],
        ["/v1/opendata/payments.csv?to=2026-11-31", 400, "invalid-parameter"],
      ];
      for (const [url, status, kind] of cases) {
        it(`${url.slice(0, 70)} → ${status} ${kind}`, async () => {
          const body = expectProblemOf(await app.inject({ url }), status, kind);
          if (url.includes("datause-bulletins")) expect(body.detail).to.include("/v1/datause/bulletins");
          if (url.includes("nothing")) expect(body.detail).to.include("payments, parking-occupancy");
        });
      }

      it("a node without projections checks parameters first, then answers 503", async () => {
        const opened = await openEmptyContext("opendata-noq");
        const bare = await buildApp(opened.ctx, { docs: false });
        try {
          expectProblemOf(await bare.inject({ url: "/v1/opendata/payments.csv?from=2026-02-30" }), 400, "invalid-parameter");
          expectProblemOf(await bare.inject({ url: "/v1/opendata/energy-slots.csv" }), 503, "not-ready");
          expect((await bare.inject({ url: "/v1/opendata/energy-slots.schema.json" })).statusCode).to.equal(200);
        } finally {
          await bare.close();
          await opened.close();
        }
      });
    });

    describe("schemas", () => {
      for (const spec of DATASETS) {
        it(`${spec.id}.schema.json describes every column of ${spec.id}.csv, in order`, async () => {
          const res = await app.inject({ url: `/v1/opendata/${spec.id}.schema.json` });
          expect(res.statusCode).to.equal(200);
          expect(res.headers["content-type"]).to.match(/^application\/schema\+json/);
          const schema = res.json();
          const header = parseCsv((await app.inject({ url: `/v1/opendata/${spec.id}.csv` })).body)[0];
          expect(schema.fields.map((f: { name: string }) => f.name)).to.deep.equal(header);
          expect(schema.missingValues).to.deep.equal([""]);
          for (const f of schema.fields) {
            expect(["string", "integer", "boolean", "date", "datetime"]).to.include(f.type);
            expect(f.description, `${spec.id}.${f.name}`).to.be.a("string").and.not.equal("");
            expect(f.constraints.required).to.be.a("boolean");
          }
        });
      }
    });

    describe("DCAT-AP catalogue", () => {
      /**
       * Mandatory properties (sh:minCount 1) of the DCAT-AP 3.0.0 SHACL shapes
       * (SEMICeu/DCAT-AP, releases/3.0.0/html/shacl/shapes.ttl): Catalog_Shape, Dataset_Shape, Distribution_Shape,
       * Agent_Shape. And their sh:maxCount 1 properties that this catalogue uses.
       */
      const MANDATORY = {
        "dcat:Catalog": ["dct:description", "dct:publisher", "dct:title"],
        "dcat:Dataset": ["dct:description", "dct:title"],
        "dcat:Distribution": ["dcat:accessURL"],
        "foaf:Agent": ["foaf:name"],
      } as const;
      const AT_MOST_ONE = {
        "dcat:Catalog": ["dct:publisher", "dct:license", "dct:issued", "dct:modified", "foaf:homepage"],
        "dcat:Dataset": ["dct:publisher", "dct:issued", "dct:modified", "dct:accessRights"],
        "dcat:Distribution": ["dcat:mediaType", "dct:format", "dct:license", "dct:issued", "dct:modified"],
      } as const;
      /** Properties whose values are literals (sh:nodeKind sh:Literal) and those whose values are IRIs (BlankNodeOrIRI). */
      const LITERAL = ["dct:title", "dct:description", "foaf:name", "dcat:keyword", "dct:identifier"];
      const IRI = ["dcat:accessURL", "dcat:downloadURL", "dcat:mediaType", "dct:format", "dct:license", "dcat:theme", "dct:conformsTo"];

      type Node = Record<string, unknown>;
      const values = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
      let doc: Node;
      before(async () => {
        const res = await app.inject({ url: "/v1/opendata/catalog", headers: { host: "ledger.example.org" } });
        expect(res.statusCode).to.equal(200);
        expect(res.headers["content-type"]).to.match(/^application\/ld\+json/);
        doc = res.json();
      });

      /** Every node object of the document (anything with an @type), depth first. */
      function nodes(n: unknown, out: Node[] = []): Node[] {
        if (Array.isArray(n)) n.forEach((x) => nodes(x, out));
        else if (n && typeof n === "object") {
          if ("@type" in n && !("@value" in n)) out.push(n as Node);
          for (const [k, v] of Object.entries(n)) if (k !== "@context") nodes(v, out);
        }
        return out;
      }

      it("uses only its fixed @context: every key a JSON-LD keyword or a compact IRI with a declared prefix", () => {
        expect(doc["@context"]).to.deep.equal(CATALOG_CONTEXT);
        const check = (n: unknown): void => {
          if (Array.isArray(n)) return n.forEach(check);
          if (!n || typeof n !== "object") return;
          for (const [k, v] of Object.entries(n)) {
            if (k === "@context") continue;
            if (k.startsWith("@")) expect(["@id", "@type", "@value", "@language"]).to.include(k);
            else expect(Object.keys(CATALOG_CONTEXT), k).to.include(k.split(":")[0]);
            if (k === "@type") expect(Object.keys(CATALOG_CONTEXT)).to.include(String(v).split(":")[0]);
            check(v);
          }
        };
        check(doc);
      });

      it("has every mandatory property of DCAT-AP 3.0.0 on the catalogue, its datasets, distributions and publisher", () => {
        const all = nodes(doc);
        const typed = (t: string) => all.filter((n) => n["@type"] === t);
        expect(typed("dcat:Catalog")).to.have.length(1);
        expect(typed("dcat:Dataset")).to.have.length(DATASETS.length + 1);
        expect(typed("dcat:Distribution")).to.have.length(DATASETS.length + 1);
        expect(typed("foaf:Agent")).to.have.length(1);
        for (const [type, props] of Object.entries(MANDATORY)) {
          for (const n of typed(type)) for (const p of props) expect(values(n[p]), `${type} ${String(n["@id"])} ${p}`).to.not.be.empty;
        }
        for (const [type, props] of Object.entries(AT_MOST_ONE)) {
          for (const n of typed(type)) for (const p of props) expect(values(n[p]).length, `${type} ${p}`).to.be.at.most(1);
        }
        // Every dataset's publisher is the catalogue's agent, described once.
        const agent = typed("foaf:Agent")[0];
        for (const d of typed("dcat:Dataset")) expect(d["dct:publisher"]).to.deep.equal({ "@id": agent["@id"] });
      });

      it("gives literals as language strings (fr and en) and IRIs as absolute @id nodes", () => {
        for (const n of nodes(doc)) {
          for (const p of LITERAL) {
            for (const v of values(n[p])) expect(typeof v === "string" || (typeof v === "object" && v !== null && "@value" in v), p).to.equal(true);
          }
          for (const p of IRI) for (const v of values(n[p])) expect((v as Node)["@id"], p).to.match(/^https?:\/\/[^ ]+$/);
          if (n["@type"] === "dcat:Catalog" || n["@type"] === "dcat:Dataset") {
            for (const p of ["dct:title", "dct:description"]) {
              expect(values(n[p]).map((v) => (v as Node)["@language"]).sort()).to.deep.equal(["en", "fr"]);
            }
          }
        }
      });

      it("links each CSV for download with its media type, licence and schema, and themes from the EU vocabulary", async () => {
        const datasets = doc["dcat:dataset"] as Node[];
        expect(datasets.map((d) => d["dct:identifier"])).to.deep.equal([...DATASETS.map((d) => d.id), "datause-bulletins"]);
        for (const d of datasets) {
          for (const t of values(d["dcat:theme"])) expect((t as Node)["@id"]).to.match(new RegExp(`^${DATA_THEME}/[A-Z]{4}$`));
          const [dist] = values(d["dcat:distribution"]) as Node[];
          if (d["dct:identifier"] === "datause-bulletins") {
            expect(dist["dcat:accessURL"]).to.deep.equal({ "@id": "http://ledger.example.org/v1/datause/bulletins" });
            continue;
          }
          const url = `http://ledger.example.org/v1/opendata/${String(d["dct:identifier"])}.csv`;
          expect(dist).to.deep.include({ "dcat:accessURL": { "@id": url }, "dcat:downloadURL": { "@id": url } });
          expect(dist["dcat:mediaType"]).to.deep.equal({ "@id": "http://www.iana.org/assignments/media-types/text/csv" });
          const schema = (dist["dct:conformsTo"] as Node)["@id"] as string;
          expect(d["dct:conformsTo"]).to.deep.equal({ "@id": schema });
          expect((await app.inject({ url: new URL(schema).pathname })).statusCode).to.equal(200);
          expect((await app.inject({ url: new URL(url).pathname })).statusCode).to.equal(200);
        }
      });

      it("dates the catalogue by its first and last entries, and spans each dataset's coverage (xsd:date)", () => {
        // The empty log: no issued/modified; payments cover the two days of the synthetic city.
        expect(doc).to.not.have.property("dct:issued");
        const payments = (doc["dcat:dataset"] as Node[]).find((d) => d["dct:identifier"] === "payments")!;
        expect(payments["dct:temporal"]).to.deep.equal({
          "@type": "dct:PeriodOfTime",
          "dcat:startDate": { "@value": "2026-11-02", "@type": "xsd:date" },
          "dcat:endDate": { "@value": "2026-11-03", "@type": "xsd:date" },
        });
      });
    });
  });

  describe("on a node following a city", function () {
    this.timeout(120_000);
    let t: TestNode;
    let blockTimes: number[];
    before(async () => {
      const f = await cityFixture();
      const payers = f.people.slice(0, 6);
      for (const p of payers) await register(f, p, { district: 2 });
      for (const p of payers) await issue(f, p, coins(100));
      blockTimes = [];
      for (const [i, p] of payers.entries()) {
        const receipt = (await (await f.coin.connect(p).transfer(payers[(i + 1) % payers.length].address, coins(i + 1))).wait())!;
        blockTimes.push((await receipt.getBlock()).timestamp);
      }
      t = await startTestNode(f.record, {}, "opendata-node");
    });
    after(async () => {
      await t?.close();
    });

    it("dates payments by their blocks through the RPC, and dates the catalogue by the log's first and last entries", async () => {
      let rows: string[][] = [];
      for (let i = 0; i < 200 && rows.length < 2; i++) {
        const res = await fetch(`${t.node.url}/v1/opendata/payments.csv`);
        if (res.ok) rows = parseCsv(await res.text());
        if (rows.length < 2) await new Promise((r) => setTimeout(r, 100));
      }
      const days = [...new Set(blockTimes.map((b) => new Date(b * 1000).toISOString().slice(0, 10)))];
      // Six payers in district 2: one published cell per day the transfers fell on (a day boundary could split them).
      expect(rows[0]).to.deep.equal(["date", "district", "payments", "amount", "payers", "suppressed"]);
      expect(rows.slice(1).map((r) => r[0])).to.deep.equal(days);
      if (days.length === 1) expect(rows[1]).to.deep.equal([days[0], "2", "6", String(21_000_000), "6", "false"]);
      const catalog = await (await fetch(`${t.node.url}/v1/opendata/catalog`)).json();
      expect(catalog["dct:modified"]).to.deep.equal({ "@value": days[days.length - 1], "@type": "xsd:date" });
      expect(catalog["dct:issued"]["@value"] <= days[0]).to.equal(true);
      for (const spec of DATASETS) expect((await fetch(`${t.node.url}/v1/opendata/${spec.id}.csv`)).status, spec.id).to.equal(200);
    });
  });

  describe("entryTimes", () => {
    it("dates an entry by its block, asking each block once", async () => {
      const logs = syntheticLogs(9); // three per block
      const asked: bigint[] = [];
      const time = entryTimes({ entries: async (from, limit) => logs.slice(from, from + limit).map((log, i) => ({ seq: from + i, log, leafInput: new Uint8Array(), leafHash: new Uint8Array() })) }, async (b) => {
        asked.push(b);
        return 1_000 * Number(b);
      });
      expect(await time([0, 1, 2, 3, 8])).to.deep.equal([1_000, 1_000, 1_000, 2_000, 3_000]);
      expect(await time([8, 0])).to.deep.equal([3_000, 1_000]);
      expect(asked).to.deep.equal([1n, 2n, 3n]);
      let failed = false;
      await time([9]).catch(() => (failed = true));
      expect(failed).to.equal(true);
    });
  });

  describe("the other tables, from their domains' views", () => {
    const page = <T>(items: T[]) => ({ items, total: items.length, offset: 0, limit: items.length });
    const source = (queries: Record<string, unknown>): OpenDataSource => ({ queries: queries as unknown as OpenDataSource["queries"] });

    it("energy: one row per slot, price and volume empty until cleared, no order nor reading", async () => {
      const slots = [
        { slot: 2_000_001, start: 2_000_001 * 900, peak: false, cleared: true, price: 95_000n, volume: 4_200n, settled: true, deliveredWh: 4_000n, orders: [{ trader: person(1) }], readings: [] },
        { slot: 2_000_000, start: 2_000_000 * 900, peak: true, cleared: false, price: 0n, volume: 0n, settled: false, deliveredWh: 0n, orders: [], readings: [] },
      ];
      const rows = await datasetById("energy-slots")!.rows(source({ energy: { slots: () => page(slots) } }), {});
      expect(rows).to.deep.equal([
        [2_000_000, "2027-01-15T08:00:00Z", true, false, null, null, false, 0n],
        [2_000_001, "2027-01-15T08:15:00Z", false, true, 95_000n, 4_200n, true, 4_000n],
      ]);
    });

    it("ballots: a row per option, the final result once published, never a voter", async () => {
      const ballot = (id: bigint, final: boolean) => ({
        id,
        kind: "referendum",
        opensAt: D0,
        closesAt: D0 + DAY,
        binding: true,
        electorate: 10n,
        results: { counts: [1n, 2n], turnout: 3n, counted: 3n, quorumMet: false, byCollege: [], byDistrict: [{ district: 1, counts: [1n, 2n], turnout: 3n }] },
        final: final ? { counts: [4n, 5n], turnout: 9n, counted: 9n, quorumMet: true, seq: 7 } : null,
      });
      const rows = await datasetById("ballots")!.rows(source({ ballots: { ballots: () => page([ballot(1n, true), ballot(2n, false)]) } }), {});
      expect(rows).to.deep.equal([
        [1n, "referendum", "2026-11-02T00:00:00Z", "2026-11-03T00:00:00Z", true, 10n, 9n, true, true, 0, 4n],
        [1n, "referendum", "2026-11-02T00:00:00Z", "2026-11-03T00:00:00Z", true, 10n, 9n, true, true, 1, 5n],
        [2n, "referendum", "2026-11-02T00:00:00Z", "2026-11-03T00:00:00Z", true, 10n, 3n, false, false, 0, 1n],
        [2n, "referendum", "2026-11-02T00:00:00Z", "2026-11-03T00:00:00Z", true, 10n, 3n, false, false, 1, 2n],
      ]);
    });

    it("budget: winners are the projects whose ballot index is set in the published winners", async () => {
      const project = (projectId: number, ballotIndex: number | null, envelope: number) => ({ projectId, ballotIndex, envelope, cost: 1_000n, status: "feasible", supportCount: 3, released: 0n });
      const round = {
        id: 4n,
        envelopes: [{ envelope: 0, district: 0, amount: 5_000n }, { envelope: 1, district: 7, amount: 2_000n }],
        result: { winners: 0b101n },
        projects: [project(2, 1, 1), project(1, 0, 0), project(3, 2, 1), project(4, null, 9)],
      };
      const rows = await datasetById("budget")!.rows(source({ budget: { rounds: () => page([round, { ...round, id: 5n, result: null }]) } }), {});
      expect(rows.map((r) => [r[0], r[1], r[3], r[7]])).to.deep.equal([
        [4n, 1, 0, true],
        [4n, 2, 7, false],
        [4n, 3, 7, true],
        [4n, 4, null, false],
        [5n, 1, 0, false],
        [5n, 2, 7, false],
        [5n, 3, 7, false],
        [5n, 4, null, false],
      ]);
    });

    it("governance: votes summed over the colleges, no proposer", async () => {
      const proposal = {
        id: 77n,
        proposer: person(3),
        status: "executed",
        constitutional: false,
        charterVersion: 1,
        voteStart: D0,
        voteEnd: D0 + 3 * DAY,
        colleges: [
          { college: 0, forVotes: 3n, againstVotes: 1n, abstainVotes: 0n },
          { college: 1, forVotes: 10n, againstVotes: 2n, abstainVotes: 5n },
        ],
        scoreWad: 7n * 10n ** 17n,
        thresholdBps: 5_000,
        veto: { signatures: 2 },
        description: "Plant trees, on \"rue\" A",
      };
      const rows = await datasetById("governance")!.rows(source({ governance: { proposals: () => page([proposal]) } }), {});
      expect(rows).to.deep.equal([[77n, "executed", false, 1, "2026-11-02T00:00:00Z", "2026-11-05T00:00:00Z", 13n, 3n, 5n, 7n * 10n ** 17n, 5_000, 2, 'Plant trees, on "rue" A']]);
      expect(rows.flat().map(String).join()).to.not.include(person(3));
    });

    it("parking: per district per day of the bookings' span, from the parking stats of each day", async () => {
      const asked: { from: number; to: number }[] = [];
      const parking = {
        bookings: (address: string) => page(address === person(1) ? [{ start: D0 + 20 * 3600, end: D0 + DAY + 2 * 3600, status: "paidOut" }, { start: D0 + 5 * DAY, end: D0 + 6 * DAY, status: "cancelled" }] : []),
        stats: (q: { from: number; to: number }) => {
          asked.push(q);
          return { districts: [{ district: 3, spots: 2, window: { bookings: 1, bookedHours: q.from === D0 ? 4 : 2, availableHours: 48, occupancyBps: 0, turnoverBps: 0 } }] };
        },
      };
      const members = { members: () => page([{ address: person(1), district: 3 }, { address: person(2), district: 3 }]) };
      const rows = await datasetById("parking-occupancy")!.rows(source({ parking, members }), {});
      expect(asked).to.deep.equal([{ from: D0, to: D0 + DAY }, { from: D0 + DAY, to: D0 + 2 * DAY }]);
      expect(rows).to.deep.equal([
        ["2026-11-02", 3, 2, 1, 4, 48, 0],
        ["2026-11-03", 3, 2, 1, 2, 48, 0],
      ]);
      const asked2 = await datasetById("parking-occupancy")!.rows(source({ parking, members }), { from: (D0 + DAY) / DAY, to: (D0 + 3 * DAY) / DAY });
      expect(asked2.map((r) => r[0])).to.deep.equal(["2026-11-03", "2026-11-04", "2026-11-05"]);
    });
  });
});
