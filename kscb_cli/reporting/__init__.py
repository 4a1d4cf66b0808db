"""Everything read out of a store: view models per audience, the templates and their rendering, documents and charts, the query commands' data, and the reporters that print them."""
