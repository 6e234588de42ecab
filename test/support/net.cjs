// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
// Loopback helpers for every tier and the benchmarks (CommonJS, so .ts and .mjs tests both import it; types
// in net.d.cts). The fake Dynamo containers use the host network, so "127.0.0.1:port" is theirs too.
const { connect, createServer } = require('node:net');

/** A TCP port nothing listens on right now (the OS picks it; closed again before returning). */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Whether something accepts connections on 127.0.0.1:port.
 * @param {number} port
 */
function portInUse(port) {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * A listener on 127.0.0.1:port that closes every connection (a port "already taken").
 * @param {number} port
 */
function listenOn(port) {
  return new Promise((resolve, reject) => {
    const server = createServer((sock) => sock.destroy());
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

module.exports = { freePort, portInUse, listenOn };
