"""One module per page (or family of pages): each reads its rows, chooses its finding and writes its page."""
