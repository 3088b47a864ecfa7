"""Alerts: rules that find situations needing handling, the engine that keeps one alert per
(rule, record) in step with them, and the lifecycle users drive (acknowledge, snooze, dismiss).
"""
