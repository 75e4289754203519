"""Thermal face detection: network, output decoding, training (synthetic scenes) and evaluation."""
