import Foundation

/// One page of a longer list.
public struct Page<Item> {
    public let items: [Item]
    public let page: Int
    public let perPage: Int
    public let total: Int
}
