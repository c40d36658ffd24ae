-- A name search walks the register in id order until its page is full
-- (internal/umkm/list.go): for a word in 1% of an office's businesses,
-- ~5.000 records a page. On the primary key each costs a heap fetch of the
-- whole record (~530 bytes, 0,9 µs); beside the id here, the walk reads the
-- words from the index alone (~80 bytes an entry, 0,25 µs) and fetches
-- only the page's matches. Live records only: only a search without
-- arsip=true walks it.
--
-- An index entry holds at most 2.704 bytes, and hyphenated words of
-- Cyrillic or CJK letters give a tsvector of up to ten times its text:
-- names of 400 bytes or less give at most ~2.000 bytes (measured on
-- adversarial names), while the longest names allowed (2 × 200 letters)
-- could not be inserted at all. The walk reads the few longer ones beside,
-- from the heap, through an index that holds only them.
CREATE INDEX umkm_kata_urut_idx ON umkm (tenant_id, id) INCLUDE (kata)
    WHERE archived_at IS NULL AND octet_length(nama_usaha) + octet_length(nama_pemilik) <= 400;
CREATE INDEX umkm_kata_panjang_idx ON umkm (tenant_id, id)
    WHERE archived_at IS NULL AND octet_length(nama_usaha) + octet_length(nama_pemilik) > 400;
