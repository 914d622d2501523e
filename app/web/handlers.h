/*
 * handlers.h - every screen's handlers, h_<screen>_<action>(), listed in the
 * routing table (route.c). A handler returns 0 once the response is set,
 * -1 on an environment failure (the dispatcher answers 500).
 */
#ifndef WEB_HANDLERS_H
#define WEB_HANDLERS_H

#include "req.h"

int	 h_health_get(struct req *);
int	 h_metrics_get(struct req *);
int	 h_login_get(struct req *);
int	 h_login_post(struct req *);
int	 h_login_totp_get(struct req *);
int	 h_login_totp_post(struct req *);
int	 h_logout_post(struct req *);
int	 h_dashboard_get(struct req *);
int	 h_account_get(struct req *);
int	 h_account_post(struct req *);
int	 h_account_lang_post(struct req *);
int	 h_password_get(struct req *);
int	 h_password_post(struct req *);
int	 h_totp_get(struct req *);
int	 h_totp_post(struct req *);
int	 h_users_list(struct req *);
int	 h_users_new_get(struct req *);
int	 h_users_new_post(struct req *);
int	 h_users_edit_get(struct req *);
int	 h_users_edit_post(struct req *);
int	 h_ip_list(struct req *);
int	 h_ip_add(struct req *);
int	 h_ip_edit_get(struct req *);
int	 h_ip_edit_post(struct req *);
int	 h_ip_delete(struct req *);
int	 h_audit_list(struct req *);
int	 h_security_get(struct req *);
int	 h_security_post(struct req *);
int	 h_delivery_list(struct req *);
int	 h_delivery_profile_add(struct req *);
int	 h_delivery_profile_get(struct req *);
int	 h_delivery_profile_post(struct req *);
int	 h_delivery_profile_delete(struct req *);
int	 h_delivery_rule_add(struct req *);
int	 h_delivery_rule_get(struct req *);
int	 h_delivery_rule_post(struct req *);
int	 h_delivery_rule_delete(struct req *);
int	 h_delivery_lift(struct req *);
/* POST /admin/delivery/alert/{id}/ack (administrators, CSRF-checked by
 * dispatch): acknowledges an open policy alert in one transaction with its
 * audit entry (delivery_alert_ack), 303 back to /admin/delivery#alerts;
 * 404 for an unknown id; an alert acknowledged already changes nothing. */
int	 h_delivery_alert_ack(struct req *);

#endif
