import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  BULLETIN_TABLES,
  InvalidAccessRecordError,
  bulletinCsv,
  bulletinHtml,
  bulletinMarkdown,
  formatPeriod,
  parsePeriod,
  type AccessRecord,
  type BulletinTable,
  type RecordFinding,
} from "@cityledger/sdk/datause";
import type { Hex } from "viem";
import { toJsonValue } from "../../api/json";
import { negotiate } from "../../api/negotiate";
import { address, uint } from "../../api/params";
import { ProblemError, problemResponses } from "../../api/problems";
import { Address, AddressParam, BigUintParam, Count as Int, Decimal, Hash32, Nullable, UintParam } from "../../api/schemas";
import type { DomainRoutesOptions } from "../domain";
import { LEGAL_BASES, type DataUseQueries } from "./queries";
import { MAX_BATCH_RECORDS, RecordsMismatchError } from "./records";
import { DataUseComputations } from "./service";

/**
 * Access records, members' accesses with their proofs, violations and the monthly bulletin: what the node computes
 * from the projection and the records processors submitted (see the SDK's datause module for every definition).
 *
 * Who may submit records: anyone. They are public commitments (pseudonyms, purposes, categories, counts, hours), and
 * the node stores a batch only when the records hash to the root its processor published on chain, in the order
 * given, and number what it committed: the root check is the authentication. A second submission of a stored batch
 * is answered 200 and changes nothing.
 */

/** Largest body of a records submission: MAX_BATCH_RECORDS records of about 190 bytes of JSON each. */
const RECORDS_BODY_LIMIT = 2 * 1024 * 1024;

const RecordJson = Type.Object(
  {
    pseudonym: Hash32,
    purposeId: Type.String({ pattern: "^[1-9][0-9]{0,77}$", description: "Purpose id, a decimal string." }),
    category: Type.Integer({ enum: [1, 2, 4, 8, 16], description: "One category bit: 1 identity, 2 location, 4 energy, 8 payments, 16 mobility." }),
    count: Type.Integer({ minimum: 1, maximum: 2 ** 32 - 1, description: "Accesses in the hour." }),
    timeBucket: Type.Integer({ minimum: 0, maximum: 2 ** 40, multipleOf: 3600, description: "Unix seconds of the hour's start." }),
  },
  { additionalProperties: false, description: "One access record: a leaf of its batch's tree (SDK encodeAccessRecord)." },
);

const RecordsBody = Type.Object(
  { records: Type.Array(RecordJson, { maxItems: MAX_BATCH_RECORDS, description: "The batch's records, in the order their tree was built." }) },
  { additionalProperties: false },
);

const BatchRecordsJson = Type.Object(
  { processorId: Decimal, period: Int, root: Hash32, recordCount: Int, records: Type.Array(RecordJson) },
  { additionalProperties: false, description: "A batch's records as submitted, checked against its published root." },
);

const StoredJson = Type.Object(
  { processorId: Decimal, period: Int, root: Hash32, recordCount: Int, stored: Type.Boolean({ description: "False when the batch was already stored (nothing changed)." }) },
  { additionalProperties: false },
);

const ViolationKind = Type.Union([Type.Literal("no-consent"), Type.Literal("undeclared-purpose")], {
  description: "no-consent: a consent-based purpose and no consent of the member at any instant of the hour; undeclared-purpose: a purpose not declared by the processor by the hour's end.",
});

const FindingFields = {
  processorId: Decimal,
  period: Int,
  index: Type.Integer({ minimum: 0, description: "Leaf index in the batch." }),
  record: RecordJson,
  member: Type.Optional(Address),
  violation: Type.Optional(ViolationKind),
};

const AccessJson = Type.Object(
  { ...FindingFields, root: Hash32, recordCount: Int, salt: Hash32, proof: Type.Array(Hash32, { description: "RFC 6962 audit path of the record to `root`." }) },
  { additionalProperties: false, description: "An access to the member's data, with its inclusion proof to the batch's on-chain root." },
);

const AccessesJson = Type.Object(
  { member: Address, seq: Int, accesses: Type.Array(AccessJson), violations: Int },
  { additionalProperties: false, description: "Every access to the member's data in the revealed batches with submitted records." },
);

const ViolationsJson = Type.Object(
  { seq: Int, items: Type.Array(Type.Object(FindingFields, { additionalProperties: false })) },
  { additionalProperties: false, description: "Records of revealed batches that break their purpose's terms." },
);

const MemberPurposeJson = Type.Object(
  {
    purposeId: Decimal,
    processorId: Decimal,
    active: Type.Boolean(),
    processorActive: Type.Boolean(),
    contactUri: Type.String(),
    legalBasis: Type.Unsafe<(typeof LEGAL_BASES)[number]>({ type: "string", enum: [...LEGAL_BASES] }),
    categories: Int,
    retention: Int,
    version: Int,
    consentBased: Type.Boolean(),
    consent: Nullable(
      Type.Object({ granted: Type.Boolean(), lapsed: Type.Boolean(), since: Decimal, version: Int }, { additionalProperties: false, description: "The member's consent now (null: never given)." }),
    ),
  },
  { additionalProperties: false },
);

const MemberPurposesJson = Type.Object({ member: Address, items: Type.Array(MemberPurposeJson) }, { additionalProperties: false });

const PeriodParam = Type.String({ pattern: "^[0-9]{4}-(0[1-9]|1[0-2])$", description: "A month, YYYY-MM (UTC), from 2000-01.", examples: ["2026-11"] });

/** A month parameter the schema accepted, as YYYYMM; a year before 2000 (no batch can name it) is refused. */
function periodParam(text: string, where: "params" | "querystring"): number {
  const period = parsePeriod(text);
  if (period === undefined) throw new ProblemError("invalid-parameter", `period ${text} is before 2000-01: no batch can name it`, { invalidParams: [{ in: where, name: "period", reason: "is before 2000-01" }] });
  return period;
}

const BULLETIN_MEDIA = ["application/json", "text/markdown", "text/html", "text/csv"] as const;

const BulletinEnvelope = Type.Object(
  {
    bulletin: Type.Object({ kind: Type.String(), period: Type.String(), log: Type.Object({ size: Int, root: Hash32 }) }, { additionalProperties: true }),
    note: Type.String({ description: "The node's signed note: a checkpoint of the log at the bulletin's size with the bulletin's SHA-256 (SDK verifyBulletin)." }),
    verifierKey: Type.String(),
  },
  { description: "The bulletin (figures in the SDK's DataUseBulletin shape) and the node's signature." },
);

const bulletinResponse = {
  description:
    "The bulletin: JSON with its signed note (default), Markdown, a self-contained HTML page, or with text/csv one table (`table`, default purposes).",
  content: {
    "application/json": { schema: BulletinEnvelope },
    "text/markdown": { schema: Type.String() },
    "text/html": { schema: Type.String() },
    "text/csv": { schema: Type.String() },
  },
};

const recordOf = (r: { pseudonym: string; purposeId: string; category: number; count: number; timeBucket: number }): AccessRecord => ({
  pseudonym: r.pseudonym as Hex,
  purposeId: BigInt(r.purposeId),
  category: r.category,
  count: r.count,
  timeBucket: r.timeBucket,
});

const findingJson = (f: RecordFinding) => toJsonValue(f) as Record<string, unknown>;

function notReady(): ProblemError {
  return new ProblemError("not-ready", "this node keeps no access records (started without a data directory for them)", {}, { "retry-after": "60" });
}

const accessRoutes: FastifyPluginAsyncTypebox<DomainRoutesOptions<DataUseQueries>> = async (app, { queries }) => {
  const tags = ["datause"];
  const { store } = app.ledger;
  const service = () => app.ledger.datause ?? (() => { throw notReady(); })();
  let computations: DataUseComputations | undefined;
  const compute = () => (computations ??= new DataUseComputations(service().records, (size) => store.rootAt(size)));

  const batchParams = Type.Object({ processorId: BigUintParam("Processor id."), period: UintParam("Month, YYYYMM.", ["202611"]) });
  const batchOf = (params: { processorId: string; period: string }) => {
    const batch = queries.batch(BigInt(params.processorId), uint(params.period, "period"));
    if (!batch) throw new ProblemError("not-found", `processor ${params.processorId} published no batch for ${params.period} (in the log up to entry ${queries.seq()})`);
    return batch;
  };

  app.post(
    "/v1/datause/batches/:processorId/:period/records",
    {
      schema: {
        tags,
        summary: "Submit a batch's access records",
        description:
          "Anyone may submit them: the node stores the records only if they hash (SDK encodeAccessRecord leaves, RFC 6962, in " +
          "the order given) to the root the processor published on chain and number its record count; otherwise 422 " +
          `records-mismatch. At most ${MAX_BATCH_RECORDS} records. 201 when stored, 200 when the batch was already stored.`,
        params: batchParams,
        body: RecordsBody,
        response: { 200: StoredJson, 201: StoredJson, ...problemResponses(400, 404, 413, 415, 422, 429, 503) },
      },
      bodyLimit: RECORDS_BODY_LIMIT,
      config: { rateLimit: { max: 30, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      const batch = batchOf(request.params);
      const { records } = service();
      let stored: boolean;
      try {
        stored = await records.put(batch.processorId, batch.period, request.body.records.map(recordOf), batch);
      } catch (error) {
        if (error instanceof RecordsMismatchError) throw new ProblemError("records-mismatch", error.message);
        if (error instanceof InvalidAccessRecordError) throw new ProblemError("invalid-request", error.shortMessage);
        throw error;
      }
      const { processorId, period, root, recordCount } = batch;
      return reply.code(stored ? 201 : 200).send({ processorId: String(processorId), period, root, recordCount, stored });
    },
  );

  app.get(
    "/v1/datause/batches/:processorId/:period/records",
    {
      schema: {
        tags,
        summary: "A batch's submitted access records",
        params: batchParams,
        response: { 200: BatchRecordsJson, ...problemResponses(400, 404, 503) },
      },
    },
    async (request) => {
      const batch = batchOf(request.params);
      const records = service().records.get(batch.processorId, batch.period);
      if (!records) throw new ProblemError("not-found", `nobody submitted the records of batch ${batch.processorId}/${batch.period} to this node yet`);
      return { processorId: String(batch.processorId), period: batch.period, root: batch.root, recordCount: batch.recordCount, records: records.map((r) => toJsonValue(r)) } as never;
    },
  );

  app.get(
    "/v1/datause/members/:address/purposes",
    {
      schema: {
        tags,
        summary: "Every purpose with the member's consent",
        description: "Every purpose of every processor, its current terms, and the member's consent to it now (null when never given).",
        params: Type.Object({ address: AddressParam }),
        response: { 200: MemberPurposesJson, ...problemResponses(400, 503) },
      },
    },
    async (request) => {
      const member = address(request.params.address);
      const items = [];
      for (let offset = 0, total = 1; offset < total; offset += 1000) {
        const page = queries.purposes(undefined, { offset, limit: 1000 });
        total = page.total;
        for (const p of page.items) {
          const processor = queries.processor(p.processorId)!;
          const c = queries.consent(p.id, member);
          items.push({
            purposeId: String(p.id),
            processorId: String(p.processorId),
            active: p.active,
            processorActive: processor.active,
            contactUri: processor.contactUri,
            legalBasis: p.legalBasis,
            categories: p.categories,
            retention: p.retention,
            version: p.version,
            consentBased: p.legalBasis === "consent",
            consent: c ? { granted: c.granted, lapsed: c.lapsed, since: String(c.since), version: c.version } : null,
          });
        }
      }
      return { member, items };
    },
  );

  app.get(
    "/v1/datause/members/:address/accesses",
    {
      schema: {
        tags,
        summary: "Every access to a member's data, with proofs",
        description:
          "The records whose pseudonym is keccak256(abi.encode(member, purposeId, salt)) in every batch whose salt is revealed and " +
          "whose records were submitted, each with its RFC 6962 inclusion proof to the batch's on-chain root and its violation, if any " +
          "(SDK city.datause.getMyAccesses verifies the proofs against the chain).",
        params: Type.Object({ address: AddressParam }),
        response: { 200: AccessesJson, ...problemResponses(400, 503) },
      },
    },
    async (request) => {
      const member = address(request.params.address);
      const accesses = await compute().accessesOf(queries, member);
      return { member, seq: queries.seq(), accesses: accesses.map((a) => toJsonValue(a)), violations: accesses.filter((a) => a.violation).length } as never;
    },
  );

  app.get(
    "/v1/datause/violations",
    {
      schema: {
        tags,
        summary: "Access records that break their purpose's terms",
        querystring: Type.Object({ period: Type.Optional(PeriodParam), processorId: Type.Optional(BigUintParam("Only this processor's.")) }),
        response: { 200: ViolationsJson, ...problemResponses(400, 503) },
      },
    },
    async (request) => {
      const period = request.query.period === undefined ? undefined : periodParam(request.query.period, "querystring");
      const processorId = request.query.processorId === undefined ? undefined : BigInt(request.query.processorId);
      const items = (await compute().allFindings(queries)).filter(
        (f) => f.violation && (period === undefined || f.period === period) && (processorId === undefined || f.processorId === processorId),
      );
      return { seq: queries.seq(), items: items.map(findingJson) } as never;
    },
  );

  app.get(
    "/v1/datause/bulletins/:period",
    {
      schema: {
        tags,
        summary: "The data-use bulletin of a month",
        description:
          "Per processor and purpose: accesses by category, members concerned, consent rate among eligible members, grants, " +
          "withdrawals, lapses, violations and the change against the previous months; computed from the log at the size it names " +
          "and the submitted records, signed by the node's checkpoint key. JSON, Markdown, HTML, or CSV per table (Accept).",
        params: Type.Object({ period: PeriodParam }),
        querystring: Type.Object({
          table: Type.Optional(Type.Unsafe<BulletinTable>({ type: "string", enum: [...BULLETIN_TABLES], description: "The table served as text/csv (default purposes)." })),
        }),
        response: { 200: bulletinResponse, ...problemResponses(400, 406, 503) },
      },
    },
    async (request, reply) => {
      const period = periodParam(request.params.period, "params");
      const media = negotiate(request.headers.accept, BULLETIN_MEDIA);
      if (media === undefined) throw new ProblemError("not-acceptable", `a bulletin is served as ${BULLETIN_MEDIA.join(", ")}`);
      const bulletin = await compute().bulletin(queries, period);
      const note = service().sign(bulletin);
      reply.header("vary", "accept").header("cache-control", "no-cache").header("x-log-size", String(bulletin.log.size));
      if (media === "text/csv") {
        const table = request.query.table ?? "purposes";
        return reply
          .type("text/csv; charset=utf-8")
          .header("content-disposition", `inline; filename="datause-bulletin-${formatPeriod(period)}-${table}.csv"`)
          .send(bulletinCsv(bulletin, table));
      }
      if (media === "text/markdown") return reply.type("text/markdown; charset=utf-8").send(bulletinMarkdown(bulletin, note));
      if (media === "text/html") return reply.type("text/html; charset=utf-8").send(bulletinHtml(bulletin, note));
      // As text: the digest the note signs is over the bulletin's JSON text, which a serializer must not reorder.
      return reply.type("application/json; charset=utf-8").send(`{"bulletin":${JSON.stringify(bulletin)},"note":${JSON.stringify(note)},"verifierKey":${JSON.stringify(app.ledger.verifierKey)}}`);
    },
  );
};

export default accessRoutes;
