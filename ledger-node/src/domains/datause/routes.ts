import { Type, type TSchema, type TProperties, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { toJsonValue } from "../../api/json";
import { orderedPagingQuery, pageOf, pagingQuery } from "../../api/paging";
import { address, uint } from "../../api/params";
import { ProblemError, problemResponses } from "../../api/problems";
import { Address, AddressParam, BigUintParam, Count as Int, Decimal, Hash32, PageJson, UintParam } from "../../api/schemas";
import type { DomainRoutesOptions } from "../domain";
import { LEGAL_BASES, type DataUseQueries } from "./queries";
import accessRoutes from "./accessRoutes";

/**
 * Data use, served from the datause projection: processors, purposes with their versions, members' consents with
 * their history, and access-record batches with their salts once revealed. Every answer carries `X-Projection-Seq`.
 */

/** Where a record was set: its log entry, block, block time and transaction. */
const originFields = { seq: Int, block: Decimal, timestamp: Type.Integer(), txHash: Hash32 };
const Origin = Type.Object(originFields, { additionalProperties: false });

/** An object of `fields` and the origin of the event that set it. */
const withOrigin = <P extends TProperties>(fields: P, description: string) =>
  Type.Object({ ...fields, ...originFields }, { additionalProperties: false, description });

const ProcessorJson = withOrigin(
  { id: Decimal, account: Address, nameHash: Hash32, contactUri: Type.String(), active: Type.Boolean(), changed: Type.Optional(Origin) },
  "A processor, the account it publishes from, and its last change.",
);

const termsFields = {
  version: Int,
  consentEpoch: Int,
  material: Type.Boolean({ description: "Whether this version lapsed the consents given to earlier ones." }),
  descriptionHash: Hash32,
  legalBasis: Type.Unsafe<(typeof LEGAL_BASES)[number]>({ type: "string", enum: [...LEGAL_BASES], description: "GDPR art. 6(1) basis." }),
  categories: Type.Integer({ minimum: 0, description: "Bit flags: 1 identity, 2 location, 4 energy, 8 payments, 16 mobility." }),
  retention: Type.Integer({ minimum: 0, description: "Seconds." }),
  recipients: Type.Array(Hash32, { description: "Hashes of the recipients' names." }),
};

const PurposeJson = Type.Object(
  {
    id: Decimal,
    processorId: Decimal,
    active: Type.Boolean(),
    consents: Type.Integer({ description: "Members whose consent counts now." }),
    ...termsFields,
    versions: Type.Array(withOrigin(termsFields, "One version of the terms."), { description: "Oldest first." }),
    retired: Type.Optional(Origin),
  },
  { additionalProperties: false, description: "A purpose: its current terms and every version." },
);

const ConsentJson = Type.Object(
  {
    purposeId: Decimal,
    member: Address,
    granted: Type.Boolean({ description: "Whether the consent counts now." }),
    lapsed: Type.Boolean({ description: "A grant that a material change of the purpose lapsed." }),
    since: Decimal,
    version: Int,
    epoch: Int,
  },
  { additionalProperties: false, description: "A member's consent to a purpose now; `since` is the block it holds from." },
);

const ConsentChangeJson = withOrigin(
  { purposeId: Decimal, member: Address, granted: Type.Boolean(), version: Int, epoch: Int },
  "A grant (granted: true) or a withdrawal, effective from its block.",
);

const BatchJson = withOrigin(
  {
    processorId: Decimal,
    period: Type.Integer({ description: "YYYYMM." }),
    root: Hash32,
    recordCount: Int,
    saltHash: Hash32,
    salt: Type.Optional(Hash32),
    revealed: Type.Optional(Origin),
  },
  "A processor's access records of a month: their Merkle root, count and salt commitment (the salt once revealed).",
);

const ProcessorPage = PageJson(ProcessorJson, "A page of processors, by id.");
const PurposePage = PageJson(PurposeJson, "A page of purposes, by id.");
const ConsentPage = PageJson(ConsentJson, "A page of a member's consents, by purpose id.");
const ConsentChangePage = PageJson(ConsentChangeJson, "A page of a member's grants and withdrawals.");
const BatchPage = PageJson(BatchJson, "A page of batches.");

const ProcessorFilter = { processorId: Type.Optional(BigUintParam("Only this processor's.")) };
const filterOf = (query: { processorId?: string }) => (query.processorId === undefined ? {} : { processorId: BigInt(query.processorId) });
const json = <T extends TSchema>(_schema: T, value: unknown) => toJsonValue(value) as T["static"];

const datauseRoutes: FastifyPluginAsyncTypebox<DomainRoutesOptions<DataUseQueries>> = async (app, { queries }) => {
  const tags = ["datause"];

  app.get(
    "/v1/datause/processors",
    { schema: { tags, summary: "Data processors", querystring: Type.Object(pagingQuery()), response: { 200: ProcessorPage, ...problemResponses(400, 503) } } },
    async (request) => json(ProcessorPage, queries.processors(pageOf(request.query))),
  );

  app.get(
    "/v1/datause/processors/:id",
    {
      schema: {
        tags,
        summary: "One data processor",
        params: Type.Object({ id: BigUintParam("Processor id.") }),
        response: { 200: ProcessorJson, ...problemResponses(400, 404, 503) },
      },
    },
    async (request) => {
      const processor = queries.processor(BigInt(request.params.id));
      if (!processor) throw new ProblemError("not-found", `no data processor ${request.params.id}`);
      return json(ProcessorJson, processor);
    },
  );

  app.get(
    "/v1/datause/purposes",
    {
      schema: {
        tags,
        summary: "Purposes of data use",
        querystring: Type.Object({ ...ProcessorFilter, ...pagingQuery() }),
        response: { 200: PurposePage, ...problemResponses(400, 503) },
      },
    },
    async (request) => json(PurposePage, queries.purposes(filterOf(request.query), pageOf(request.query))),
  );

  app.get(
    "/v1/datause/purposes/:id",
    {
      schema: {
        tags,
        summary: "One purpose with every version of its terms",
        params: Type.Object({ id: BigUintParam("Purpose id.") }),
        response: { 200: PurposeJson, ...problemResponses(400, 404, 503) },
      },
    },
    async (request) => {
      const purpose = queries.purpose(BigInt(request.params.id));
      if (!purpose) throw new ProblemError("not-found", `no purpose ${request.params.id}`);
      return json(PurposeJson, purpose);
    },
  );

  app.get(
    "/v1/datause/consents/:address",
    {
      schema: {
        tags,
        summary: "A member's consents now",
        description: "Every purpose the member granted or withdrew consent to, with whether the consent counts now.",
        params: Type.Object({ address: AddressParam }),
        querystring: Type.Object(pagingQuery()),
        response: { 200: ConsentPage, ...problemResponses(400, 503) },
      },
    },
    async (request) => json(ConsentPage, queries.consents(address(request.params.address), pageOf(request.query))),
  );

  app.get(
    "/v1/datause/consents/:address/history",
    {
      schema: {
        tags,
        summary: "A member's grants and withdrawals",
        params: Type.Object({ address: AddressParam }),
        querystring: Type.Object(orderedPagingQuery()),
        response: { 200: ConsentChangePage, ...problemResponses(400, 503) },
      },
    },
    async (request) => json(ConsentChangePage, queries.consentHistory(address(request.params.address), pageOf(request.query))),
  );

  app.get(
    "/v1/datause/batches",
    {
      schema: {
        tags,
        summary: "Access-record batches",
        querystring: Type.Object({ ...ProcessorFilter, ...orderedPagingQuery() }),
        response: { 200: BatchPage, ...problemResponses(400, 503) },
      },
    },
    async (request) => json(BatchPage, queries.batches(filterOf(request.query), pageOf(request.query))),
  );

  app.get(
    "/v1/datause/batches/:processorId/:period",
    {
      schema: {
        tags,
        summary: "One processor's access-record batch of a month",
        params: Type.Object({ processorId: BigUintParam("Processor id."), period: UintParam("Month, YYYYMM.", ["202611"]) }),
        response: { 200: BatchJson, ...problemResponses(400, 404, 503) },
      },
    },
    async (request) => {
      const { processorId, period } = request.params;
      const batch = queries.batch(BigInt(processorId), uint(period, "period"));
      if (!batch) throw new ProblemError("not-found", `processor ${processorId} published no batch for ${period}`);
      return json(BatchJson, batch);
    },
  );

  await app.register(accessRoutes, { queries });
};

export default datauseRoutes;
