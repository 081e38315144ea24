//! Parsers for what registries and users send: challenge headers, token answers, JWT claims,
//! ACR error bodies and registry input.
