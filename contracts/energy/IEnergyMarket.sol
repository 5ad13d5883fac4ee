// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IMeterRegistry} from "./IMeterRegistry.sol";

/**
 * @title IEnergyMarket
 * @notice Members trade local energy in slots of 900 seconds: prosumers offer what their production meters will
 * produce (asks, with a collateral against under-delivery), members bid for what their consumption meters will draw
 * (bids, with the most they may pay held in escrow), each slot is cleared after its gate closure by a uniform-price
 * double auction, and settled after it ends against the readings its meters signed and {IMeterRegistry} recorded (see
 * {EnergyMarket}).
 *
 * Units: energy in Wh, prices in CityCoin base units (6 decimals) per kWh, time in unix seconds. Slot `s` is the
 * interval `[s * 900, (s + 1) * 900)`; its gate closes `gateClosure` seconds before it starts. Order ids are
 * `slot << 32 | sequence`: the slot is part of the id and ids grow with placement.
 */
interface IEnergyMarket {
    enum Side {
        Ask,
        Bid
    }

    /// @dev `Cleared` and `Settled` are read from the order's slot, never written in the order.
    enum OrderStatus {
        None,
        Open,
        Cancelled,
        Cleared,
        Settled,
        Evicted
    }

    /// @dev One slot: 20 + 5 + 4 + 1 + 1 bytes. `price` is the ask's minimum or the bid's maximum, per kWh.
    struct Order {
        address trader;
        uint40 wh;
        uint32 price;
        Side side;
        OrderStatus status;
    }

    /**
     * @dev One slot. `gridPrice` is the grid reference price when the slot's first order was placed: the slot's
     * collaterals and imbalances use it. `price` (0 when nothing traded) and `volume` are set by {clear}. Peak slots
     * are flagged in {IMeterRegistry}.
     */
    struct SlotResult {
        bool cleared;
        bool settled;
        uint32 price;
        uint64 volume;
        uint16 orderCount;
        uint32 gridPrice;
    }

    event GateClosureSet(uint32 gateClosure);
    event MaxOrdersPerSlotSet(uint16 maxOrders);
    event MaxOrdersPerTraderSet(uint8 maxOrders);
    event MinOrderWhSet(uint32 minWh);
    /// @notice The least an order may lock (a bid's escrow, an ask's collateral), in CityCoin base units.
    event MinOrderValueSet(uint32 minValue);
    /// @notice The grid reference price per kWh, which prices imbalances of slots whose book opens from now on.
    event GridPriceSet(uint32 price);
    event SettlementWindowSet(uint32 window);

    /// @notice `account`'s market balance grew by `amount` paid in, to `balance`.
    event Deposited(address indexed account, uint256 amount, uint256 balance);
    /// @notice `account` withdrew its whole market balance, `amount`.
    event RefundClaimed(address indexed account, uint256 amount);

    /**
     * @notice Order `orderId` entered slot `slot`'s book; `locked` was taken from the trader's market balance: a
     * bid's escrow `ceil(wh * price / 1000)` or an ask's collateral `ceil(wh * gridPrice / 1000)`.
     */
    event OrderPlaced(
        uint256 indexed orderId,
        uint32 indexed slot,
        address indexed trader,
        Side side,
        address meter,
        uint40 wh,
        uint32 price,
        uint256 locked
    );
    /// @notice Order `orderId` left its slot's book before gate closure; `refund` (its `locked`) went back to the
    /// market balance of `trader` (the order's trader, or the key its membership moved to).
    event OrderCancelled(uint256 indexed orderId, uint32 indexed slot, address indexed trader, uint256 refund);
    /**
     * @notice Order `orderId` was pushed out of its slot's full book by a better-priced order of its side (or by an
     * order of a side holding less than half the book); `refund` (its `locked`) went to the market balance of
     * `trader` (the order's trader, or the key its membership moved to).
     */
    event OrderEvicted(uint256 indexed orderId, uint32 indexed slot, address indexed trader, uint256 refund);
    /**
     * @notice `account` stopped being an active member while the market holds `balance` for it: the balance stays
     * here, its own, claimable once it is active again or by the key its membership moves to.
     */
    event BalanceHeld(address indexed account, uint256 balance);
    /// @notice The membership of `from` moved to `to` (key recovery): its market balance `amount` moved with it, and
    /// its orders now settle and cancel for `to`.
    event BalanceMigrated(address indexed from, address indexed to, uint256 amount);
    /// @notice Slot `slot` was cleared at `price` per kWh for `volume` Wh over its `orderCount` orders.
    event SlotCleared(uint32 indexed slot, uint32 price, uint64 volume, uint16 orderCount);
    /// @notice Order `orderId` was cleared with `filledWh` (what it sold or bought, before delivery).
    event OrderCleared(uint256 indexed orderId, uint32 indexed slot, address indexed trader, Side side, uint40 filledWh);

    /**
     * @notice Ask `orderId` was settled: `deliveredWh` of its fill were delivered and paid `revenue`; the rest cost
     * `imbalance` at the slot's grid price, taken from its collateral (its `locked`); `credit` = revenue + collateral
     * − imbalance went to the market balance of `trader` (the order's trader, or the key its membership moved to).
     */
    event AskSettled(
        uint256 indexed orderId,
        uint32 indexed slot,
        address indexed trader,
        uint40 deliveredWh,
        uint256 revenue,
        uint256 imbalance,
        uint256 credit
    );
    /**
     * @notice Bid `orderId` was settled: `deliveredWh` of its fill were delivered and cost `cost` from its escrow (its
     * `locked`); `compensation` is its share of the sellers' imbalance payments; `credit` = escrow − cost +
     * compensation went to the market balance of `trader` (the order's trader, or the key its membership moved to).
     */
    event BidSettled(
        uint256 indexed orderId,
        uint32 indexed slot,
        address indexed trader,
        uint40 deliveredWh,
        uint256 cost,
        uint256 compensation,
        uint256 credit
    );
    /**
     * @notice Slot `slot` was settled: `deliveredWh` of its `volume` delivered, paid `payments` in all; sellers paid
     * `imbalance` in all to the buyers for the rest.
     */
    event SlotSettled(uint32 indexed slot, uint64 volume, uint64 deliveredWh, uint256 payments, uint256 imbalance);
    error EnergyMarketGateClosureOutOfRange(uint32 gateClosure, uint32 min, uint32 max);
    error EnergyMarketMaxOrdersOutOfRange(uint16 maxOrders, uint16 min, uint16 max);
    error EnergyMarketMaxOrdersPerTraderOutOfRange(uint8 maxOrders);
    error EnergyMarketMinOrderWhOutOfRange(uint32 minWh);
    error EnergyMarketGridPriceOutOfRange(uint32 price);
    error EnergyMarketSettlementWindowOutOfRange(uint32 window, uint32 min, uint32 max);
    error EnergyMarketGateClosed(uint32 slot, uint256 closedAt);
    error EnergyMarketGateOpen(uint32 slot, uint256 closesAt);
    error EnergyMarketAlreadyCleared(uint32 slot);
    error EnergyMarketOrderTooSmall(uint40 wh, uint32 minWh);
    error EnergyMarketZeroPrice();
    error EnergyMarketZeroAmount();
    error EnergyMarketNotAMember(address account);
    error EnergyMarketNotProsumer(address account);
    error EnergyMarketNotProductionMeter(address meter, address account);
    error EnergyMarketNotConsumptionMeter(address meter, address account);
    error EnergyMarketBookFull(uint32 slot, uint16 maxOrders);
    error EnergyMarketTraderOrdersFull(uint32 slot, address trader, uint8 maxOrders);
    error EnergyMarketUnknownOrder(uint256 orderId);
    error EnergyMarketOrderNotOpen(uint256 orderId, OrderStatus status);
    error EnergyMarketNotTrader(uint256 orderId, address caller);
    error EnergyMarketNothingToClaim(address account);
    error EnergyMarketNotCleared(uint32 slot);
    error EnergyMarketSlotNotOver(uint32 slot, uint256 endsAt);
    error EnergyMarketAlreadySettled(uint32 slot);
    error EnergyMarketMissingReading(uint32 slot, address seller, uint256 deadline);
    error EnergyMarketOrderValueTooSmall(uint256 locked, uint32 minValue);
    error EnergyMarketMinOrderValueOutOfRange(uint32 minValue);
    error EnergyMarketNotRegistry(address caller);
    error EnergyMarketFundsHeld(address account, uint256 amount);

    /**
     * @notice Offers `wh` Wh of slot `slot` at no less than `minPrice` per kWh, before the slot's gate closure,
     * locking `ceil(wh * gridPrice / 1000)` as collateral against under-delivery (from the caller's market balance,
     * any shortfall pulled from its wallet: allowance needed). The caller must be an active member with the PROSUMER
     * flag and own `meter`, an active production meter. The collateral must be at least `minOrderValue`; in a full
     * book the ask evicts the worst order (see {EnergyMarket}) or is refused.
     */
    function ask(uint32 slot, address meter, uint40 wh, uint32 minPrice) external returns (uint256 orderId);

    /**
     * @notice Bids for `wh` Wh of slot `slot` at no more than `maxPrice` per kWh, before the slot's gate closure,
     * locking `ceil(wh * maxPrice / 1000)` CityCoin in escrow (from the caller's market balance, any shortfall pulled
     * from its wallet: allowance needed). The caller must be an active member and own `meter`, an active
     * consumption meter. The escrow must be at least `minOrderValue`; in a full book the bid evicts the worst order
     * (see {EnergyMarket}) or is refused.
     */
    function bid(uint32 slot, address meter, uint40 wh, uint32 maxPrice) external returns (uint256 orderId);

    /// @notice Cancels the caller's open order before its slot's gate closure; what it locked goes back to the
    /// caller's market balance.
    function cancel(uint256 orderId) external;

    /**
     * @notice Clears slot `slot` once its gate has closed (anyone may call it, once): fixes the price, the volume and
     * every order's fill. No money moves: {settle} pays.
     */
    function clear(uint32 slot) external;

    /**
     * @notice Settles cleared slot `slot` once it has ended (anyone may call it, once) against the readings on record
     * in {IMeterRegistry}, after recording `readings` there (signed by the meters; any order; already-recorded ones
     * are skipped; may be empty). Before `settlementWindow` has passed since the slot's end, every seller with a fill
     * needs a recorded reading from each of its active production meters (so a seller who withholds its own reading
     * delays settlement by at most the window); after it, a seller's missing reading counts as no delivery.
     */
    function settle(uint32 slot, IMeterRegistry.Reading[] calldata readings) external;

    /// @notice Pays `amount` into the caller's market balance (allowance needed), for orders to lock from.
    function deposit(uint256 amount) external;

    /**
     * @notice Pays the caller its whole market balance: refunds, payments, collateral released. The caller must be an
     * active member (CityCoin pays only members): a suspended or removed member's balance is held for it here, and a
     * key recovery moves it to the new key.
     */
    function claimRefund() external;
}
