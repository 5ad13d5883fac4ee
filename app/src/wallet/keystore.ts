/**
 * Where sealed city keys live in this browser: IndexedDB (database `cityledger-wallet`, store `keys`, one record per
 * chain and address). Only {@link SealedKey}s are ever written: the phrase is encrypted before it gets here.
 */
import type { Address } from "viem";
import type { SealedKey } from "./vault";

const DB = "cityledger-wallet";
const STORE = "keys";

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: ["chainId", "address"] });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error("IndexedDB could not be opened"));
  });
}

async function run<T>(mode: IDBTransactionMode, action: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = action(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error ?? new Error("IndexedDB transaction failed"));
      transaction.onabort = () => reject(transaction.error ?? new Error("IndexedDB transaction aborted"));
    });
  } finally {
    db.close();
  }
}

/** Every key sealed in this browser for `chainId`, oldest first. */
export async function listKeys(chainId: number): Promise<SealedKey[]> {
  const all = await run("readonly", (store) => store.getAll() as IDBRequest<SealedKey[]>);
  return all.filter((key) => key.chainId === chainId).sort((a, b) => a.createdAt - b.createdAt);
}

export async function saveKey(sealed: SealedKey): Promise<void> {
  await run("readwrite", (store) => store.put(sealed));
}

export async function deleteKey(chainId: number, address: Address): Promise<void> {
  await run("readwrite", (store) => store.delete([chainId, address]));
}
