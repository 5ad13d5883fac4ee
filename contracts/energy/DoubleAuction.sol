// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IEnergyMarket} from "./IEnergyMarket.sol";

/**
 * @title DoubleAuction
 * @notice EnergyMarket's clearing rule, the uniform-price double auction over one slot's book (steps 1 to 4 of the
 * rule in {EnergyMarket}'s header; `sdk/src/energy/clearing.ts` implements the same rule, and the tests compare both
 * on random books). A linked library: its external functions run in the market's context (DELEGATECALL), so they
 * read the market's book and write its slot result, and the events they emit are the market's own
 * ({IEnergyMarket}). Kept apart so the market stays well under EIP-170's size limit.
 */
library DoubleAuction {
    /// @notice An order as the auction and the settlement see it, in memory.
    struct Entry {
        uint256 orderId;
        uint256 wh;
        uint256 price;
        uint256 fill;
        address trader;
    }

    /**
     * @notice Clears slot `slot`: runs the auction on its book (`seqs`, the sequence numbers of its orders in
     * `orders`), records the outcome in `result` and emits {IEnergyMarket-SlotCleared} and one
     * {IEnergyMarket-OrderCleared} per order, asks then bids, each in merit order. The market checks the gate.
     */
    function clear(
        mapping(uint256 orderId => IEnergyMarket.Order) storage orders,
        uint32[] storage seqs,
        IEnergyMarket.SlotResult storage result,
        uint32 slot
    ) external {
        (Entry[] memory asks, Entry[] memory bids, uint256 price, uint256 volume) = auction(orders, seqs, slot);
        // Casts are safe: price <= max order price (uint32); volume <= Σ wh of at most 128 uint40 orders < 2^47;
        // the book holds at most MAX_ORDERS_PER_SLOT_LIMIT orders.
        uint16 count = uint16(asks.length + bids.length);
        result.cleared = true;
        result.price = uint32(price);
        result.volume = uint64(volume);
        result.orderCount = count;
        emit IEnergyMarket.SlotCleared(slot, uint32(price), uint64(volume), count);
        for (uint256 i = 0; i < asks.length; ++i) {
            // Cast is safe: fill <= wh, a uint40.
            emit IEnergyMarket.OrderCleared(asks[i].orderId, slot, asks[i].trader, IEnergyMarket.Side.Ask, uint40(asks[i].fill));
        }
        for (uint256 i = 0; i < bids.length; ++i) {
            emit IEnergyMarket.OrderCleared(bids[i].orderId, slot, bids[i].trader, IEnergyMarket.Side.Bid, uint40(bids[i].fill));
        }
    }

    /**
     * @notice {auction} as an external function, for callers that have no copy of the rule (the test harness): the
     * market's {clear} runs it here by DELEGATECALL, while its settlement, which needs every fill back, compiles the
     * internal {auction} in, so that the fills of a full book do not cross a call as ABI-encoded structs.
     */
    function auctionOf(
        mapping(uint256 orderId => IEnergyMarket.Order) storage orders,
        uint32[] storage seqs,
        uint32 slot
    ) external view returns (Entry[] memory asks, Entry[] memory bids, uint256 price, uint256 volume) {
        return auction(orders, seqs, slot);
    }

    /**
     * @dev Steps 1 to 4 of the clearing rule on slot `slot`'s book: its asks and bids in merit order with their
     * fills, the clearing price and the volume.
     */
    function auction(
        mapping(uint256 orderId => IEnergyMarket.Order) storage orders,
        uint32[] storage seqs,
        uint32 slot
    ) internal view returns (Entry[] memory asks, Entry[] memory bids, uint256 price, uint256 volume) {
        (asks, bids) = _load(orders, seqs, slot);
        _sort(asks, false);
        _sort(bids, true);
        (volume, price) = _match(asks, bids);
        _allocate(asks, price, volume, false);
        _allocate(bids, price, volume, true);
    }

    function _load(
        mapping(uint256 orderId => IEnergyMarket.Order) storage orders,
        uint32[] storage seqs,
        uint32 slot
    ) internal view returns (Entry[] memory asks, Entry[] memory bids) {
        uint256 n = seqs.length;
        Entry[] memory all = new Entry[](n);
        bool[] memory isAsk = new bool[](n);
        uint256 na;
        for (uint256 i = 0; i < n; ++i) {
            uint256 orderId = (uint256(slot) << 32) | seqs[i];
            IEnergyMarket.Order storage o = orders[orderId];
            all[i] = Entry({orderId: orderId, wh: o.wh, price: o.price, fill: 0, trader: o.trader});
            if (o.side == IEnergyMarket.Side.Ask) {
                isAsk[i] = true;
                ++na;
            }
        }
        asks = new Entry[](na);
        bids = new Entry[](n - na);
        uint256 a;
        uint256 b;
        for (uint256 i = 0; i < n; ++i) {
            if (isAsk[i]) asks[a++] = all[i];
            else bids[b++] = all[i];
        }
    }

    /// @dev Insertion sort into merit order: price ascending (asks) or descending (bids), then order id ascending.
    function _sort(Entry[] memory list, bool descending) internal pure {
        for (uint256 i = 1; i < list.length; ++i) {
            Entry memory e = list[i];
            uint256 j = i;
            while (j > 0 && _before(e, list[j - 1], descending)) {
                list[j] = list[j - 1];
                --j;
            }
            list[j] = e;
        }
    }

    function _before(Entry memory a, Entry memory b, bool descending) internal pure returns (bool) {
        if (a.price != b.price) return descending ? a.price > b.price : a.price < b.price;
        return a.orderId < b.orderId;
    }

    /// @dev Steps 2 and 3 of the clearing rule: the volume and the price. Lists are in merit order.
    function _match(Entry[] memory asks, Entry[] memory bids) internal pure returns (uint256 volume, uint256 price) {
        uint256 i;
        uint256 j;
        uint256 remA = asks.length != 0 ? asks[0].wh : 0;
        uint256 remB = bids.length != 0 ? bids[0].wh : 0;
        uint256 lastAsk;
        uint256 lastBid;
        while (i < asks.length && j < bids.length && asks[i].price <= bids[j].price) {
            uint256 traded = Math.min(remA, remB);
            volume += traded;
            lastAsk = asks[i].price;
            lastBid = bids[j].price;
            remA -= traded;
            remB -= traded;
            if (remA == 0 && ++i < asks.length) remA = asks[i].wh;
            if (remB == 0 && ++j < bids.length) remB = bids[j].wh;
        }
        if (volume == 0) return (0, 0);
        uint256 low = j < bids.length ? Math.max(lastAsk, bids[j].price) : lastAsk;
        uint256 high = i < asks.length ? Math.min(lastBid, asks[i].price) : lastBid;
        price = (low + high) / 2;
    }

    /// @dev Step 4 of the clearing rule for one side, in merit order: full fills strictly better than `price`,
    /// pro-rata on the level at `price`, remainder by id.
    function _allocate(Entry[] memory list, uint256 price, uint256 volume, bool descending) internal pure {
        if (volume == 0) return;
        uint256 n = list.length;
        uint256 k;
        uint256 strict;
        // Orders strictly better than the price come first in merit order.
        while (k < n && (descending ? list[k].price > price : list[k].price < price)) {
            list[k].fill = list[k].wh;
            strict += list[k].wh;
            ++k;
        }
        uint256 levelEnd = k;
        uint256 level;
        while (levelEnd < n && list[levelEnd].price == price) level += list[levelEnd++].wh;
        // volume <= strict + level by the choice of price (see EnergyMarket's header); the level is in id order.
        uint256 rest = volume - strict;
        uint256 given;
        for (uint256 m = k; m < levelEnd; ++m) {
            list[m].fill = (rest * list[m].wh) / level;
            given += list[m].fill;
        }
        for (uint256 m = k; given < rest; ++m) {
            ++list[m].fill;
            ++given;
        }
    }
}
