/**
 * The demo city's history on one clock. Each domain schedules what its members did at given chain times (a referendum
 * voted on day 1, a budget round tallied on day 5…); {@link Timeline.play} runs every action in time order and moves
 * the local chain's clock forward between them (evm_setNextBlockTimestamp), so that a week of city life is seeded in
 * seconds and what must still be open when the city is ready was scheduled last.
 */
export const MINUTE = 60;
export const HOUR = 3600;
export const DAY = 24 * HOUR;

interface Action {
  at: number;
  seq: number;
  label: string;
  run: () => Promise<void>;
}

/** What {@link Timeline.play} needs from the chain: its latest block time and Hardhat's clock methods. */
interface ClockProvider {
  getBlock(tag: "latest"): Promise<{ timestamp: number } | null>;
  send(method: string, params: unknown[]): Promise<unknown>;
}

export class Timeline {
  private readonly actions: Action[] = [];

  /** @param t0 The chain time the schedule counts from (the latest block's, when the schedule is made). */
  constructor(readonly t0: number) {}

  /**
   * Schedules `run` at chain time `at` (unix seconds; actions at the same time run in the order scheduled). The
   * transactions it sends mine from `at` on, at least one second apart (one block each): leave room before the next
   * action.
   */
  at(at: number, label: string, run: () => Promise<void>): void {
    this.actions.push({ at, seq: this.actions.length, label, run });
  }

  /** How many actions are scheduled (one progress step each). */
  get size(): number {
    return this.actions.length;
  }

  /**
   * Runs every action in time order, jumping the chain's clock to each action's time first. Fails if the chain is
   * already past an action's time: the actions before it sent more transactions than the room left for them.
   */
  async play(provider: ClockProvider, onAction: (label: string) => void): Promise<void> {
    const ordered = [...this.actions].sort((a, b) => a.at - b.at || a.seq - b.seq);
    let current: number | undefined;
    for (const action of ordered) {
      // Actions due at the same time run one after the other: only the first of them finds the clock on time.
      if (action.at !== current) {
        current = action.at;
        const latest = (await provider.getBlock("latest"))!.timestamp;
        if (latest > action.at) {
          throw new Error(`demo timeline overran: "${action.label}" was due at ${action.at}, the chain is at ${latest}`);
        }
        if (latest < action.at) {
          await provider.send("evm_setNextBlockTimestamp", [action.at]);
          await provider.send("evm_mine", []);
        }
      }
      await action.run();
      onAction(action.label);
    }
  }
}
