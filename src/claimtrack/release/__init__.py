"""Release writing: features, tables, dataset card, manifest."""
