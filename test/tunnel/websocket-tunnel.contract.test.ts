/** @module Runs the tunnel conformance suite against the WebSocket tunnel. */
import { tunnelContract } from '../contract/tunnel.contract.js';
import { webSocketDriver } from './drivers.js';

tunnelContract(webSocketDriver);
