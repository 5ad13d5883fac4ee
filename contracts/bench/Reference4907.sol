// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";

/**
 * @title Reference4907
 * @notice Benchmark baseline only: the ERC-4907 reference rental (an OpenZeppelin ERC721 whose owner sets a user until
 * an expiry, one slot per token), so that a parking booking's gas is reported against `setUser` plus a token transfer.
 */
contract Reference4907 is ERC721 {
    /// @dev One slot per token, as in the ERC's reference implementation.
    struct UserInfo {
        address user;
        uint64 expires;
    }

    event UpdateUser(uint256 indexed tokenId, address indexed user, uint64 expires);

    error Reference4907NotOwner(uint256 tokenId, address caller);

    mapping(uint256 tokenId => UserInfo) private _users;

    constructor() ERC721("Reference4907", "R4907") {}

    /// @notice Mints freely: a benchmark baseline, never deployed outside the bench.
    function mint(address to, uint256 tokenId) external {
        _mint(to, tokenId);
    }

    /// @notice ERC-4907: the token's owner (or an approved operator) lends it to `user` until `expires`.
    function setUser(uint256 tokenId, address user, uint64 expires) external {
        address owner = _requireOwned(tokenId);
        if (!_isAuthorized(owner, msg.sender, tokenId)) revert Reference4907NotOwner(tokenId, msg.sender);
        _users[tokenId] = UserInfo(user, expires);
        emit UpdateUser(tokenId, user, expires);
    }

    /// @notice ERC-4907: the current user (zero once expired).
    function userOf(uint256 tokenId) external view returns (address) {
        UserInfo storage info = _users[tokenId];
        return info.expires >= block.timestamp ? info.user : address(0);
    }

    /// @notice ERC-4907: when the current use ends.
    function userExpires(uint256 tokenId) external view returns (uint256) {
        return _users[tokenId].expires;
    }
}
