import MariaStore

/// A page of a list as JSON: `{"items": [...], "page", "perPage", "total"}`.
struct PageView<Item: Encodable>: Encodable {
    let items: [Item]
    let page: Int
    let perPage: Int
    let total: Int

    init<Record>(_ page: Page<Record>, _ transform: (Record) throws -> Item) rethrows {
        items = try page.items.map(transform)
        self.page = page.page
        perPage = page.perPage
        total = page.total
    }
}

/// A whole list as JSON: `{"items": [...]}`.
struct ItemsView<Item: Encodable>: Encodable {
    let items: [Item]
}
