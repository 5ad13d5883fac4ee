import { Link } from "wouter";
import type { Address } from "viem";
import { useNodeQuery } from "../../../api/query";
import { useT } from "../../../i18n";
import { useChainTime } from "../../../ui/chainTime";
import { useChainRead } from "../../../wallet/session";
import { phaseOf } from "../../votes/ballot";
import type { BallotJson, Page } from "../../votes/types";

/** A commitment as CityBallots reads it: none yet, or revealed; anything else waits for its reveal. */
export const NONE = `0x${"0".repeat(64)}`;
export const REVEALED = `0x${"0".repeat(63)}1`;

/**
 * The sealed ballots in their reveal window where the member committed and has not revealed yet: a vote that counts
 * only as turnout if the window passes. The commitment is the chain's answer (the node's may lag by a block).
 */
export function useRevealsDue(me: Address): BallotJson[] {
  const { now } = useChainTime();
  const ballots = useNodeQuery<Page<BallotJson>>("/v1/ballots?limit=200");
  const revealing = (ballots.data?.items ?? []).filter((b) => b.sealed && phaseOf(b, now) === "revealing");
  const due = useChainRead(
    ["reveals-due", me, revealing.map((b) => b.id).join(",")],
    async (c) => {
      const commitments = await Promise.all(revealing.map((b) => c.ballots.getCommitment({ ballotId: BigInt(b.id), voter: me })));
      return revealing.filter((_, i) => commitments[i] !== NONE && commitments[i] !== REVEALED);
    },
    { when: revealing.length > 0 },
  );
  return revealing.length > 0 ? (due.data ?? []) : [];
}

/** The wallet's link to the votes, with the reminder when a sealed vote waits for its reveal. */
export function VotesLink({ me }: { me: Address }) {
  const t = useT();
  const due = useRevealsDue(me).length;
  return (
    <Link href="/wallet/votes" className="button button-secondary" data-testid="votes-link">
      {t("walletVotes.nav")}
      {due > 0 && <span className="badge badge-warn reveal-reminder"> {t("walletVotes.revealBadge", { count: due })}</span>}
    </Link>
  );
}
