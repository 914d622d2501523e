/*
 * h_alert.h - the policy alerts part of the Delivery screen (h_alert.c).
 */
#ifndef WEB_H_ALERT_H
#define WEB_H_ALERT_H

#define H_ALERT_LIST_MAX	100	/* open alerts listed on the screen */

struct req;
struct view_dict;

/* Fills the ALERT rows, ALERT_COUNT and the empty / more sections of the
 * Delivery screen's dictionary; -1 on a database error (logged). */
int	 h_alert_rows(struct req *, struct view_dict *);

#endif
