// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IEnergyMarket} from "../energy/IEnergyMarket.sol";
import {DoubleAuction} from "../energy/DoubleAuction.sol";

/**
 * @title DoubleAuctionHarness
 * @notice Test-only: holds one book laid out as {EnergyMarket} holds a slot's and runs the linked {DoubleAuction} on
 * it, so tests can compare the library with the SDK's `clearSlot` on random books without a market around it. Never
 * deployed by the city.
 */
contract DoubleAuctionHarness {
    /// @notice The harness's one slot: order ids are `SLOT << 32 | seq`.
    uint32 public constant SLOT = 1;

    mapping(uint256 orderId => IEnergyMarket.Order) private _orders;
    uint32[] private _seqs;

    /// @notice Replaces the book: order `i` gets sequence number `seqs[i]`, side `isAsk[i]`, `wh[i]` Wh at `price[i]`.
    function setBook(uint32[] calldata seqs, bool[] calldata isAsk, uint40[] calldata wh, uint32[] calldata price) external {
        delete _seqs;
        for (uint256 i = 0; i < seqs.length; ++i) {
            _orders[(uint256(SLOT) << 32) | seqs[i]] = IEnergyMarket.Order({
                trader: address(uint160(i + 1)),
                wh: wh[i],
                price: price[i],
                side: isAsk[i] ? IEnergyMarket.Side.Ask : IEnergyMarket.Side.Bid,
                status: IEnergyMarket.OrderStatus.Open
            });
            _seqs.push(seqs[i]);
        }
    }

    /// @notice The library's outcome on the book: asks and bids in merit order with their fills, price and volume.
    function auction()
        external
        view
        returns (DoubleAuction.Entry[] memory asks, DoubleAuction.Entry[] memory bids, uint256 price, uint256 volume)
    {
        return DoubleAuction.auctionOf(_orders, _seqs, SLOT);
    }
}
