"""Check-ins, their action items and the reminders about them."""
