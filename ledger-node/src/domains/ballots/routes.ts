import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { entryToJson, provenEntry, toJsonValue } from "../../api/json";
import { orderedPagingQuery, pageOf } from "../../api/paging";
import { address } from "../../api/params";
import { ProblemError, problemResponses } from "../../api/problems";
import {
  Address,
  AddressParam,
  BigUintParam,
  Count as Int,
  Decimal,
  EntryJson,
  Hash32,
  InclusionProofJson,
  Nullable,
  PageJson,
} from "../../api/schemas";
import type { DomainRoutesOptions } from "../domain";
import type { BallotsQueries } from "./queries";

/**
 * Referendums, consultations and petitions, served from the ballots projection: a ballot with its live results per
 * option, college and district (and the result it published once finalized), its turnout by college and district,
 * and a member's receipt: the log entries of their ballot, each with its RFC 6962 inclusion proof in the current log,
 * so a voter can check that the ballot that counts is the one they cast. Every answer carries `X-Projection-Seq`.
 */

const Time = Type.Integer({ minimum: 0, description: "Unix seconds." });
const Kind = Type.Unsafe<"referendum" | "consultation" | "petition">({ type: "string", enum: ["referendum", "consultation", "petition"] });
const Counts = Type.Array(Decimal, { description: "Per option, by option index." });

const Row = { counts: Counts, turnout: Decimal };

const ResultsJson = Type.Object(
  {
    ...Row,
    counted: Decimal,
    quorumMet: Type.Boolean(),
    byCollege: Type.Array(Type.Object({ college: Int, ...Row }, { additionalProperties: false })),
    byDistrict: Type.Array(Type.Object({ district: Int, ...Row }, { additionalProperties: false })),
  },
  { additionalProperties: false, description: "Counts from each voter's last ballot (sealed: revealed choices; every commitment is turnout)." },
);

const BallotJson = Type.Object(
  {
    id: Decimal,
    kind: Kind,
    petitionId: Decimal,
    sealed: Type.Boolean(),
    binding: Type.Boolean(),
    approval: Type.Boolean(),
    optionCount: Int,
    maxApprovals: Int,
    collegeMask: Int,
    flagBit: Int,
    thresholdBps: Int,
    opensAt: Time,
    closesAt: Time,
    revealWindow: Int,
    districts: Type.Array(Int),
    questionHash: Hash32,
    snapshot: Time,
    electorate: Decimal,
    needed: Decimal,
    createdSeq: Int,
    proposalId: Decimal,
    reached: Type.Boolean(),
    referendumId: Decimal,
    openedBy: Nullable(Address), // the member who opened the petition (openPetition); null if the city created it
    results: ResultsJson,
    final: Nullable(
      Type.Object({ ...Row, counted: Decimal, quorumMet: Type.Boolean(), seq: Int }, { additionalProperties: false, description: "The BallotFinalized result." }),
    ),
  },
  { additionalProperties: false, description: "A ballot." },
);

const TurnoutJson = Type.Object(
  {
    ballotId: Decimal,
    electorate: Decimal,
    turnout: Decimal,
    counted: Decimal,
    byCollege: Type.Array(Type.Object({ college: Int, turnout: Decimal }, { additionalProperties: false })),
    byDistrict: Type.Array(Type.Object({ district: Int, turnout: Decimal }, { additionalProperties: false })),
  },
  { additionalProperties: false, description: "Turnout of a ballot." },
);

const ProvenEntry = Type.Object({ entry: EntryJson, inclusion: InclusionProofJson }, { additionalProperties: false });

const ReceiptJson = Type.Object(
  {
    ballotId: Decimal,
    voter: Address,
    college: Int,
    district: Int,
    choice: Nullable(Decimal),
    commitment: Nullable(Hash32),
    cast: ProvenEntry,
    reveal: Nullable(ProvenEntry),
  },
  {
    additionalProperties: false,
    description:
      "A voter's receipt: the entry that cast the ballot that counts (last vote, last commitment or signature) and its reveal, each with an inclusion proof in the log's current tree.",
  },
);

const CommitmentJson = Type.Object(
  { voter: Address, college: Int, district: Int, commitment: Hash32, seq: Int, revealed: Type.Boolean() },
  { additionalProperties: false, description: "A sealed ballot's commitment (the voter's last), and whether it was revealed." },
);

const BallotPage = PageJson(BallotJson, "A page of ballots.");
const CommitmentPage = PageJson(CommitmentJson, "A page of a sealed ballot's commitments.");
const BallotParams = Type.Object({ id: BigUintParam("Ballot id.") });

const ballotsRoutes: FastifyPluginAsyncTypebox<DomainRoutesOptions<BallotsQueries>> = async (app, { queries }) => {
  const { store, decoder } = app.ledger;

  /** An entry with its inclusion proof in the current tree. */
  const proven = async (seq: number) => {
    const { entry, inclusion } = await provenEntry(store, seq, store.size);
    return { entry: entryToJson(entry, decoder), inclusion };
  };

  app.get(
    "/v1/ballots",
    {
      schema: {
        tags: ["ballots"],
        summary: "Ballots",
        description: "Referendums, consultations and petitions, newest first by default, with their results.",
        querystring: Type.Object({ kind: Type.Optional(Kind), ...orderedPagingQuery() }),
        response: { 200: BallotPage, ...problemResponses(400, 503) },
      },
    },
    async (request) => {
      const result = queries.ballots({ kind: request.query.kind, ...pageOf(request.query) });
      return toJsonValue(result) as typeof BallotPage.static;
    },
  );

  app.get(
    "/v1/ballots/:id",
    {
      schema: {
        tags: ["ballots"],
        summary: "A ballot and its results",
        params: BallotParams,
        response: { 200: BallotJson, ...problemResponses(400, 404, 503) },
      },
    },
    async (request) => {
      const id = BigInt(request.params.id);
      const ballot = queries.ballot(id);
      if (!ballot) throw new ProblemError("not-found", `no ballot ${id}`);
      return toJsonValue(ballot) as typeof BallotJson.static;
    },
  );

  app.get(
    "/v1/ballots/:id/turnout",
    {
      schema: {
        tags: ["ballots"],
        summary: "Turnout of a ballot by college and district",
        params: BallotParams,
        response: { 200: TurnoutJson, ...problemResponses(400, 404, 503) },
      },
    },
    async (request) => {
      const id = BigInt(request.params.id);
      const turnout = queries.turnout(id);
      if (!turnout) throw new ProblemError("not-found", `no ballot ${id}`);
      return toJsonValue(turnout) as typeof TurnoutJson.static;
    },
  );

  app.get(
    "/v1/ballots/:id/commitments",
    {
      schema: {
        tags: ["ballots"],
        summary: "A sealed ballot's commitments",
        description:
          "Each voter's last commitment, newest first by default, with whether it was revealed: public while the " +
          "choices stay hidden, so a voter sees that theirs is in. Empty for an open ballot.",
        params: BallotParams,
        querystring: Type.Object(orderedPagingQuery()),
        response: { 200: CommitmentPage, ...problemResponses(400, 404, 503) },
      },
    },
    async (request) => {
      const id = BigInt(request.params.id);
      const page = queries.commitments(id, pageOf(request.query));
      if (!page) throw new ProblemError("not-found", `no ballot ${id}`);
      return toJsonValue(page) as typeof CommitmentPage.static;
    },
  );

  app.get(
    "/v1/ballots/:id/receipts/:voter",
    {
      schema: {
        tags: ["ballots"],
        summary: "A voter's receipt",
        description: "The log entries of the voter's ballot that counts, each with its inclusion proof in the current log.",
        params: Type.Object({ id: BigUintParam("Ballot id."), voter: AddressParam }),
        response: { 200: ReceiptJson, ...problemResponses(400, 404, 503) },
      },
    },
    async (request) => {
      const id = BigInt(request.params.id);
      const voter = address(request.params.voter);
      const receipt = queries.receipt(id, voter);
      if (!receipt) throw new ProblemError("not-found", `no ballot by ${voter} on ballot ${id}`);
      const [cast, reveal] = await Promise.all([
        proven(receipt.castSeq),
        receipt.revealSeq === null ? Promise.resolve(null) : proven(receipt.revealSeq),
      ]);
      const { castSeq: _cast, revealSeq: _reveal, ...rest } = receipt;
      return { ...(toJsonValue(rest) as object), cast, reveal } as typeof ReceiptJson.static;
    },
  );
};

export default ballotsRoutes;
