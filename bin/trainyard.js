#!/usr/bin/env node
// The trainyard command: runs the built CLI (npm install builds it).
import "../dist/cli/main.js";
