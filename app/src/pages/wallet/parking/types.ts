/** The parking routes' JSON fields the wallet reads beyond the explorer's (ledger-node/src/domains/parking/routes.ts). */
import type { Address } from "viem";
import type { BookingJson, SpotJson } from "../../parking/types";

export interface WalletSpotJson extends SpotJson {
  presetId: number;
  weeklyAvailability: string;
}

export interface WalletBookingJson extends BookingJson {
  spotId: string;
  district: number;
  driver: Address;
  owner: Address;
  deposit: string;
  presetId: number;
  checkIn: boolean;
  checkedInAt?: number;
  checkedOutAt?: number;
  overstayCharge: string;
  cancellation?: { by: Address; byOwner: boolean; refund: string; toOwner: string; fee: string; seq: number };
  dispute?: { by: Address; seq: number };
  resolution?: { toDriver: string; toOwner: string; fee: string; seq: number };
  payout?: { toOwner: string; fee: string; refund: string; overstayCharge: string; seq: number };
  driverRating?: { score: number };
  ownerRating?: { score: number };
}
