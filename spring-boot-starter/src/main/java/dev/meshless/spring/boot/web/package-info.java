/**
 * What the starter's inbound HTTP filters share: request routes (a Spring path pattern and HTTP
 * methods, checked at start-up) and RFC 9457 problem bodies.
 */
package dev.meshless.spring.boot.web;
