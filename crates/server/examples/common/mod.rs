//! Shared by the service's benchmarks (`reevalbench`, `catchupbench`): synthetic hosts
//! loaded directly with SQL, each with its inventory and its current upload.

/// Inserts host `id` (`h{h}`) of `practice` with an inventory of `components` components
/// and the stored upload `body` (zstd-compressed document), all three with the same id.
pub async fn insert_host(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
    practice: i64,
    h: usize,
    components: usize,
    body: Vec<u8>,
) {
    sqlx::query("INSERT INTO inventories (id, sha256, components) VALUES (?, ?, ?)")
        .bind(id)
        .bind(format!("inv{h}"))
        .bind(i64::try_from(components).unwrap())
        .execute(&mut *conn)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO hosts (id, practice_id, hostname, reenroll_hash, enrolled_at, current_upload_id, current_inventory_id) \
         VALUES (?, ?, ?, 'x', 0, ?, ?)",
    )
    .bind(id)
    .bind(practice)
    .bind(format!("h{h}"))
    .bind(id)
    .bind(id)
    .execute(&mut *conn)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO uploads (id, practice_id, host_id, upload_key, received_at, sha256, body, inventory_id) \
         VALUES (?, ?, ?, 'k', 0, 'x', ?, ?)",
    )
    .bind(id)
    .bind(practice)
    .bind(id)
    .bind(body)
    .bind(id)
    .execute(&mut *conn)
    .await
    .unwrap();
}
