(* The performance-difference lemma (claim `pdl`, docs/claims.md), proved for every finite MDP,
   in the form `rmdp check --claim pdl` decides:

     V_u^{pi'}(s) - V_u^pi(s)
       = 1/(1-gamma) sum_{s'} d_s^{pi',u}(s') <Q_u^pi(s',.), pi'(.|s') - pi(.|s')>   for every s,

   with V_u^pi the solution of V = c^pi + gamma P^pi V, Q_u^pi(s,a) = c(s,a) + gamma <P(.|s,a), V_u^pi>,
   and d_s^{pi',u} row s of the occupancy (1-gamma)(I - gamma P^{pi'})^{-1}.  The kernel P plays the
   role of P_u.  Over any field (the rationals in particular); nothing about P or pi being
   stochastic is needed beyond the equations that define V, V' and the inverse. *)
From mathcomp Require Import all_ssreflect all_algebra.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory.
Local Open Scope ring_scope.

Section PDL.

Variable R : fieldType.
Variables n m : nat.                          (* |S|, |A| *)
Variable gamma : R.
Variable c : 'M[R]_(n, m).                    (* c(s,a) *)
Variable P : 'I_m -> 'M[R]_n.                 (* P a s s' = P(s'|s,a) *)

(* P^pi(s,s') = sum_a pi(a|s) P(s'|s,a),  c^pi(s) = sum_a pi(a|s) c(s,a) *)
Definition kernel_pi (pi : 'M[R]_(n, m)) : 'M[R]_n := \matrix_(s, t) \sum_a pi s a * P a s t.
Definition cost_pi (pi : 'M[R]_(n, m)) : 'cV[R]_n := \col_s \sum_a pi s a * c s a.

(* V is the value of pi: V = c^pi + gamma P^pi V *)
Definition is_value (pi : 'M[R]_(n, m)) (V : 'cV[R]_n) : Prop := V = cost_pi pi + gamma *: (kernel_pi pi *m V).

(* Q(s,a) = c(s,a) + gamma sum_{s'} P(s'|s,a) V(s') *)
Definition q_value (V : 'cV[R]_n) : 'M[R]_(n, m) := \matrix_(s, a) (c s a + gamma * \sum_t P a s t * V t ord0).

(* D is the resolvent (I - gamma P^pi)^{-1}; the occupancy is (1 - gamma) D *)
Definition is_resolvent (pi : 'M[R]_(n, m)) (D : 'M[R]_n) : Prop := (1%:M - gamma *: kernel_pi pi) *m D = 1%:M.

Lemma policy_average_q (pi : 'M[R]_(n, m)) (V : 'cV[R]_n) (s : 'I_n) :
  \sum_a q_value V s a * pi s a = (cost_pi pi + gamma *: (kernel_pi pi *m V)) s ord0.
Proof.
  rewrite /q_value !mxE.
  under eq_bigr => a _ do rewrite mxE mulrDl.
  rewrite big_split /=; congr (_ + _).
  - by apply: eq_bigr => a _; rewrite mulrC.
  - rewrite (eq_bigr (fun a => gamma * \sum_t pi s a * P a s t * V t ord0)); last first.
      move=> a _; rewrite mulrC mulrA [pi s a * gamma]mulrC -mulrA; congr (_ * _).
      by rewrite mulr_sumr; apply: eq_bigr => t _; rewrite mulrA.
    rewrite -mulr_sumr; congr (_ * _).
    rewrite exchange_big /=; apply: eq_bigr => t _.
    by rewrite /kernel_pi mxE mulr_suml.
Qed.

Theorem performance_difference (pi pi' : 'M[R]_(n, m)) (V V' : 'cV[R]_n) (D : 'M[R]_n) :
  gamma != 1 -> is_value pi V -> is_value pi' V' -> is_resolvent pi' D ->
  forall s : 'I_n,
    V' s ord0 - V s ord0 =
    (1 - gamma)^-1 * \sum_t ((1 - gamma) * D s t) * (\sum_a q_value V t a * (pi' t a - pi t a)).
Proof.
  move=> g1 HV HV' HD s.
  set A := 1%:M - gamma *: kernel_pi pi'.
  have AV' : A *m V' = cost_pi pi'.
    by rewrite /A mulmxBl mul1mx -scalemxAl {1}HV' addrK.
  have E : A *m (V' - V) = (cost_pi pi' + gamma *: (kernel_pi pi' *m V)) - V.
    by rewrite mulmxBr AV' /A mulmxBl mul1mx -scalemxAl opprB addrA.
  (* <Q(t,.), pi'(.|t) - pi(.|t)> = ((I - gamma P^{pi'}) (V' - V))(t) *)
  have Hg : forall t, \sum_a q_value V t a * (pi' t a - pi t a) = (A *m (V' - V)) t ord0.
    move=> t.
    rewrite (eq_bigr (fun a => q_value V t a * pi' t a - q_value V t a * pi t a)); last first.
      by move=> a _; rewrite mulrBr.
    rewrite sumrB !policy_average_q -HV E.
    by rewrite [in RHS]mxE; congr (_ + _); rewrite mxE.
  have g1' : 1 - gamma != 0 by rewrite subr_eq0 eq_sym.
  rewrite (eq_bigr (fun t => (1 - gamma) * (D s t * (A *m (V' - V)) t ord0))); last first.
    by move=> t _; rewrite Hg mulrA.
  rewrite -mulr_sumr mulrA mulVf // mul1r.
  have -> : \sum_t D s t * (A *m (V' - V)) t ord0 = (D *m (A *m (V' - V))) s ord0 by rewrite mxE.
  rewrite mulmxA (mulmx1C HD) mul1mx.
  by rewrite [in RHS]mxE; congr (_ + _); rewrite mxE.
Qed.

End PDL.

(* The same statement over MathComp's rationals (the numbers of rmdp's exact mode). *)
Definition performance_difference_rat := @performance_difference rat_fieldType.
