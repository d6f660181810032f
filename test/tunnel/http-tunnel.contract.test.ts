/** @module Runs the tunnel conformance suite against the HTTP tunnel. */
import { tunnelContract } from '../contract/tunnel.contract.js';
import { httpDriver } from './drivers.js';

tunnelContract(httpDriver);
