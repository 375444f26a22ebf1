(* The resolvent of a row-stochastic matrix (claims `resolvent-norm:a` and `occupancy-self-mass`,
   docs/claims.md), proved for every finite state space.  P is any row-stochastic matrix (every
   P_u^pi is one), 0 <= gamma < 1, and D is (I - gamma P)^{-1}, given as any D with
   (I - gamma P) D = I:

     D >= 0 entrywise (a minimum-entry argument, no series),
     every row of D sums to 1/(1 - gamma), so the maximum row sum of |D| -- the l1 operator norm
       of D acting on row vectors, the reading `resolvent-norm:a` -- is 1/(1 - gamma),
     d_s(s) = (1 - gamma) D(s,s) >= 1 - gamma             (occupancy-self-mass). *)
From mathcomp Require Import all_ssreflect all_algebra.
From RMDP Require Import Pdl.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory Num.Theory Order.TTheory.
Local Open Scope ring_scope.

Section Resolvent.

Variable R : realFieldType.
Variable n : nat.
Variable gamma : R.
Variable P : 'M[R]_n.
Variable D : 'M[R]_n.

Hypothesis gamma_ge0 : 0 <= gamma.
Hypothesis gamma_lt1 : gamma < 1.
Hypothesis P_ge0 : forall i j, 0 <= P i j.
Hypothesis P_rows : forall i, \sum_j P i j = 1.
Hypothesis D_resolvent : (1%:M - gamma *: P) *m D = 1%:M.

Lemma D_fix : D = 1%:M + gamma *: (P *m D).
Proof.
  move: D_resolvent; rewrite mulmxBl mul1mx -scalemxAl => H.
  by rewrite -H subrK.
Qed.

Lemma D_entry k j : D k j = (k == j)%:R + gamma * \sum_l P k l * D l j.
Proof. by rewrite {1}D_fix !mxE. Qed.

Lemma one_minus_gamma_gt0 : 0 < 1 - gamma.
Proof. by rewrite subr_gt0. Qed.

Theorem resolvent_ge0 i j : 0 <= D i j.
Proof.
  case: (@arg_minP _ _ _ i xpredT (fun k => D k j) isT) => k _ Hk.
  apply: le_trans (Hk i isT).
  have L : gamma * D k j <= gamma * \sum_l P k l * D l j.
    apply: ler_wpmul2l => //.
    rewrite -[X in X <= _]mul1r -(P_rows k) mulr_suml.
    by apply: ler_sum => l _; apply: ler_wpmul2l => //; apply: (Hk l isT).
  have H0 : 0 <= (1 - gamma) * D k j.
    rewrite mulrBl mul1r subr_ge0.
    rewrite [X in _ <= X]D_entry.
    apply: le_trans L _. by rewrite ler_addr ler0n.
  by rewrite pmulr_rge0 // one_minus_gamma_gt0 in H0.
Qed.

Theorem resolvent_row_sum i : \sum_j D i j = (1 - gamma)^-1.
Proof.
  set one := (const_mx 1 : 'cV[R]_n).
  have Pone : P *m one = one.
    apply/colP => k; rewrite !mxE.
    under eq_bigr do rewrite mxE mulr1.
    exact: P_rows.
  have E : (1 - gamma) *: (D *m one) = one.
    have HD' : D *m (1%:M - gamma *: P) = 1%:M by apply: mulmx1C.
    rewrite -{2}(mul1mx one) -HD' -mulmxA mulmxBl mul1mx -scalemxAl Pone.
    by rewrite -{2}(scale1r one) -scalerBl scalemxAr.
  have Ei : (1 - gamma) * (D *m one) i ord0 = 1.
    by move/colP: E => /(_ i); rewrite !mxE.
  have -> : \sum_j D i j = (D *m one) i ord0.
    by rewrite mxE; apply: eq_bigr => j _; rewrite mxE mulr1.
  have nz : 1 - gamma != 0 by rewrite gt_eqF // one_minus_gamma_gt0.
  by apply: (mulfI nz); rewrite Ei mulfV.
Qed.

(* resolvent-norm:a: the maximum row sum of |D| is 1/(1 - gamma), every row attaining it. *)
Theorem resolvent_norm_a i : \sum_j `|D i j| = (1 - gamma)^-1.
Proof.
  rewrite -(resolvent_row_sum i). apply: eq_bigr => j _.
  by rewrite ger0_norm // resolvent_ge0.
Qed.

(* occupancy-self-mass: d_s(s) = (1 - gamma) D(s,s) >= 1 - gamma. *)
Theorem occupancy_self_mass s : 1 - gamma <= (1 - gamma) * D s s.
Proof.
  rewrite -[X in X <= _]mulr1. apply: ler_wpmul2l; first exact: ltW one_minus_gamma_gt0.
  rewrite D_entry eqxx ler_addl. apply: mulr_ge0 => //.
  by apply: sumr_ge0 => l _; apply: mulr_ge0 => //; apply: resolvent_ge0.
Qed.

End Resolvent.

(* The same for P^pi(s,t) = sum_a pi(a|s) P(t|s,a) (kernel_pi of Pdl.v), the matrix the checks use:
   it is row-stochastic when pi and the rows of P are probability vectors. *)
Section PolicyKernel.

Variable R : realFieldType.
Variables n m : nat.
Variable gamma : R.
Variable P : 'I_m -> 'M[R]_n.
Variable pi : 'M[R]_(n, m).
Variable D : 'M[R]_n.

Hypothesis gamma_ge0 : 0 <= gamma.
Hypothesis gamma_lt1 : gamma < 1.
Hypothesis P_ge0 : forall a i j, 0 <= P a i j.
Hypothesis P_rows : forall a i, \sum_j P a i j = 1.
Hypothesis pi_ge0 : forall i a, 0 <= pi i a.
Hypothesis pi_rows : forall i, \sum_a pi i a = 1.
Hypothesis D_resolvent : (1%:M - gamma *: kernel_pi P pi) *m D = 1%:M.

Lemma kernel_pi_ge0 i j : 0 <= kernel_pi P pi i j.
Proof. by rewrite mxE; apply: sumr_ge0 => a _; apply: mulr_ge0. Qed.

Lemma kernel_pi_rows i : \sum_j kernel_pi P pi i j = 1.
Proof.
  under eq_bigr do rewrite mxE.
  rewrite exchange_big /= -(pi_rows i); apply: eq_bigr => a _.
  by rewrite -mulr_sumr P_rows mulr1.
Qed.

Theorem resolvent_norm_a_pi i : \sum_j `|D i j| = (1 - gamma)^-1.
Proof. exact: (resolvent_norm_a gamma_ge0 gamma_lt1 kernel_pi_ge0 kernel_pi_rows D_resolvent). Qed.

Theorem occupancy_self_mass_pi s : 1 - gamma <= (1 - gamma) * D s s.
Proof. exact: (occupancy_self_mass gamma_ge0 gamma_lt1 kernel_pi_ge0 kernel_pi_rows D_resolvent). Qed.

End PolicyKernel.
