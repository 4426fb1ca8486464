mod placeholder_removed_soon {}
