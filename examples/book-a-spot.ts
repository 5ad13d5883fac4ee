/**
 * A driver books a neighbour's private parking spot for two hours, gaslessly: a relayed ERC-2612 permit lets the
 * exchange take the price into escrow, then the relayed booking. The first free two-hour window from two days ahead
 * is taken (a taken window reverts in the SDK's simulation, before anything is signed or relayed).
 * Run with `npm start` running: `npx ts-node --transpile-only examples/book-a-spot.ts`.
 *
 *   SPOT  the spot id (default 1, listed by the demo city)
 */
import { bookingIdOf, formatCity, isCityContractError } from "@cityledger/sdk";
import { connect, run } from "./connect";

const HOUR = 3600;

run(async () => {
  const city = connect();
  const spotId = BigInt(process.env.SPOT ?? 1);
  const exchange = city.addresses.parkingExchange!;
  const block = await city.publicClient.getBlock({ blockTag: "latest" });
  let start = Math.ceil((Number(block.timestamp) + 48 * HOUR) / HOUR) * HOUR;
  // Every two-hour window costs the same: one relayed permit covers whichever window is free.
  const { total } = await city.parking.quote({ spotId, start, end: start + 2 * HOUR });
  await city.currency.relayPermit({ spender: exchange, value: total, wait: true });
  for (let attempt = 0; attempt < 48; attempt++, start += 2 * HOUR) {
    const end = start + 2 * HOUR;
    try {
      const hash = await city.parking.book({ spotId, start, end, maxCost: total, gasless: true, wait: true });
      console.log(`booked spot ${spotId} from ${new Date(start * 1000).toISOString()} for two hours, €${formatCity(total)} in escrow`);
      console.log(`booking id ${bookingIdOf(spotId, start)}, transaction ${hash}`);
      return;
    } catch (error) {
      // Someone holds this window (or the owner blocked it): try the next one.
      if (isCityContractError(error, "ParkingExchangeOverlap") || isCityContractError(error, "ParkingExchangeDayBlocked") || isCityContractError(error, "ParkingExchangeOutsideAvailability")) continue;
      throw error;
    }
  }
  throw new Error(`spot ${spotId} has no free two-hour window in the next four days`);
});
