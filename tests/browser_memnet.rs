//! `start_server` on the in-memory network inside one page (or one Node process): a server and its
//! clients in one tab, driven by the JS event loop on the real clock.
#![cfg(all(target_arch = "wasm32", target_os = "unknown"))]

use std::io::ErrorKind;

use wasio::net::{open_connection, start_server};
use wasio::{gather, spawn};
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
async fn a_mem_server_and_its_clients_share_one_page() {
    let server = start_server(
        |mut r, mut w| async move {
            while let Ok(line) = r.readline().await {
                if line.is_empty() {
                    break;
                }
                w.write(&line.to_ascii_uppercase()).unwrap();
                w.drain().await.unwrap();
            }
            w.close();
        },
        "mem://",
    )
    .await
    .unwrap();
    let addr = server.local_addr().to_string();
    assert!(addr.starts_with("mem://"));
    let clients: Vec<_> = (0..20)
        .map(|i| {
            let addr = addr.clone();
            spawn(async move {
                let (mut r, mut w) = open_connection(&addr).await.unwrap();
                let mut got = Vec::new();
                for j in 0..10 {
                    w.write(format!("client {i} line {j}\n").as_bytes())
                        .unwrap();
                    w.drain().await.unwrap();
                    got.push(String::from_utf8(r.readline().await.unwrap()).unwrap());
                }
                w.close();
                got
            })
        })
        .collect();
    for (i, c) in clients.into_iter().enumerate() {
        let got = c.await.unwrap();
        let want: Vec<_> = (0..10).map(|j| format!("CLIENT {i} LINE {j}\n")).collect();
        assert_eq!(got, want);
    }
    server.close();
    server.wait_closed().await;
    let err = open_connection(&addr).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ConnectionRefused);
    let (a, b) = gather((async { 1 }, async { 2 })).await;
    assert_eq!((a, b), (1, 2));
}
