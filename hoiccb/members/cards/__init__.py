"""Member cards: photo (3×4), CR80 card sheets with crop marks, a QR that holds only the
card number and a signed check code, and the public page that verifies it."""
