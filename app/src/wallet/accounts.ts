/**
 * The keys a member signs with, made or read here (a lazy chunk: the explorer never loads secp256k1 or the BIP-39
 * word list). A city key is a 12-word BIP-39 phrase; its account is the first BIP-44 Ethereum one (m/44'/60'/0'/0/0),
 * so any standard wallet restores it from the same words.
 */
import { keccak256, stringToBytes, type Hex, type LocalAccount } from "viem";
import { english, generateMnemonic, mnemonicToAccount, privateKeyToAccount } from "viem/accounts";

/** The dev city's public demo key `n` (scripts/lib/demo/members.ts): keccak256("cityledger demo member " + n). */
export function demoAccount(index: number): LocalAccount {
  return privateKeyToAccount(keccak256(stringToBytes(`cityledger demo member ${index}`)) as Hex);
}

/** A new backup phrase, 128 bits from the browser's CSPRNG. */
export function newPhrase(): string {
  return generateMnemonic(english);
}

/** A phrase as a person types it: lower case, single spaces. */
export function normalizePhrase(phrase: string): string {
  return phrase.trim().toLowerCase().split(/\s+/).join(" ");
}

/** The account of a backup phrase. @throws when the phrase is not 12–24 words of the English list with a valid checksum. */
export function phraseAccount(phrase: string): LocalAccount {
  return mnemonicToAccount(normalizePhrase(phrase));
}
