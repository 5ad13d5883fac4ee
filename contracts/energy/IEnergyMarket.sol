// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title IEnergyMarket
 * @notice Members trade local energy in slots of 900 seconds: prosumers offer what their production meters will
 * produce (asks), members bid for what their consumption meters will draw (bids, with the most they may pay held in
 * escrow), and each slot is cleared, after its gate closure, by a uniform-price double auction (see {EnergyMarket}).
 *
 * Units: energy in Wh, prices in CityCoin base units (6 decimals) per kWh, time in unix seconds. Slot `s` is the
 * interval `[s * 900, (s + 1) * 900)`; its gate closes `gateClosure` seconds before it starts.
 */
interface IEnergyMarket {
    enum Side {
        Ask,
        Bid
    }

    enum OrderStatus {
        None,
        Open,
        Cancelled,
        Cleared
    }

    /**
     * @dev Two slots. `price` is the ask's minimum or the bid's maximum, per kWh; `filledWh` is set at clearing;
     * `bookIndex` is the order's position in its slot's book while it is open.
     */
    struct Order {
        address trader;
        uint40 wh;
        uint32 price;
        Side side;
        OrderStatus status;
        address meter;
        uint32 slot;
        uint40 filledWh;
        uint16 bookIndex;
    }

    /// @dev The outcome of a slot's auction: `price` per kWh (0 when nothing traded), `volume` in Wh.
    struct SlotResult {
        bool cleared;
        uint32 price;
        uint64 volume;
        uint16 orderCount;
    }

    event GateClosureSet(uint32 gateClosure);
    event MaxOrdersPerSlotSet(uint16 maxOrders);
    /// @notice Order `orderId` entered slot `slot`'s book; `escrow` is what a bid paid in (0 for an ask).
    event OrderPlaced(
        uint256 indexed orderId,
        uint32 indexed slot,
        address indexed trader,
        Side side,
        address meter,
        uint40 wh,
        uint32 price,
        uint256 escrow
    );
    /// @notice Order `orderId` left its slot's book before gate closure; `refund` is the bid's escrow (0 for an ask).
    event OrderCancelled(uint256 indexed orderId, uint32 indexed slot, address indexed trader, uint256 refund);
    /// @notice Slot `slot` was cleared at `price` per kWh for `volume` Wh over its `orderCount` orders.
    event SlotCleared(uint32 indexed slot, uint32 price, uint64 volume, uint16 orderCount);
    /**
     * @notice Order `orderId` was cleared with `filledWh`. For a bid, `value` is what it pays for that energy (kept in
     * escrow for settlement) and `refund` the rest of its escrow, paid back; for an ask, `value` is what it is owed at
     * settlement and `refund` is 0.
     */
    event OrderCleared(
        uint256 indexed orderId,
        uint32 indexed slot,
        address indexed trader,
        Side side,
        uint40 filledWh,
        uint256 value,
        uint256 refund
    );

    /**
     * @notice The refund of order `orderId` could not be paid at clearing (CityCoin refused the transfer, e.g. the
     * trader is no longer a member) and is kept for `trader` to claim; `owed` is all they may now claim.
     */
    event RefundDeferred(uint256 indexed orderId, address indexed trader, uint256 amount, uint256 owed);
    /// @notice `account` claimed its deferred refunds, `amount` in all.
    event RefundClaimed(address indexed account, uint256 amount);

    error EnergyMarketGateClosureOutOfRange(uint32 gateClosure, uint32 min, uint32 max);
    error EnergyMarketMaxOrdersOutOfRange(uint16 maxOrders, uint16 min, uint16 max);
    error EnergyMarketGateClosed(uint32 slot, uint256 closedAt);
    error EnergyMarketGateOpen(uint32 slot, uint256 closesAt);
    error EnergyMarketAlreadyCleared(uint32 slot);
    error EnergyMarketZeroAmount();
    error EnergyMarketZeroPrice();
    error EnergyMarketNotAMember(address account);
    error EnergyMarketNotProsumer(address account);
    error EnergyMarketNotProductionMeter(address meter, address account);
    error EnergyMarketNotConsumptionMeter(address meter, address account);
    error EnergyMarketBookFull(uint32 slot, uint16 maxOrders);
    error EnergyMarketUnknownOrder(uint256 orderId);
    error EnergyMarketOrderNotOpen(uint256 orderId, OrderStatus status);
    error EnergyMarketNotTrader(uint256 orderId, address caller);
    error EnergyMarketNothingToClaim(address account);

    /**
     * @notice Offers `wh` Wh of slot `slot` at no less than `minPrice` per kWh, before the slot's gate closure. The
     * caller must be an active member with the PROSUMER flag and own `meter`, an active production meter.
     */
    function ask(uint32 slot, address meter, uint40 wh, uint32 minPrice) external returns (uint256 orderId);

    /**
     * @notice Bids for `wh` Wh of slot `slot` at no more than `maxPrice` per kWh, before the slot's gate closure,
     * paying `ceil(wh * maxPrice / 1000)` CityCoin into escrow (allowance needed). The caller must be an active
     * member and own `meter`, an active consumption meter.
     */
    function bid(uint32 slot, address meter, uint40 wh, uint32 maxPrice) external returns (uint256 orderId);

    /// @notice Cancels the caller's open order before its slot's gate closure; a bid's escrow is refunded in full.
    function cancel(uint256 orderId) external;

    /**
     * @notice Clears slot `slot` once its gate has closed (anyone may call it, once): fills every order, fixes the
     * price and refunds each bid's escrow beyond what its fill costs. A refund CityCoin refuses is deferred, never
     * blocking the slot: its trader claims it with {claimRefund}.
     */
    function clear(uint32 slot) external;

    /// @notice Pays the caller the refunds {clear} could not pay them (see {RefundDeferred}).
    function claimRefund() external;
}
