(* Refutations of claims of the notes (docs/claims.md, docs/gradients.md), each claim stated here
   for every finite MDP and policies, from the definitions of Robust.v (the nominal kernel plays
   the role of P_u).  Fixed-kernel linear algebra: the resolvent (I - gamma P^pi)^{-1} enters the
   statements as any matrix R with (I - gamma P^pi) R = I = R (I - gamma P^pi), so a certificate
   proves it by multiplication.  A checker accepting a refutation certificate proves ~ claim. *)
From Coq Require Import QArith Qabs List Lia Lqa.
From RMDP Require Import Robust Checker.
Import ListNotations.
Open Scope Q_scope.

(* ---------- definitions (trusted) ---------- *)

Definition delta (i j : nat) : Q := if Nat.eqb i j then 1 else 0.

(* P^pi(s,t) = sum_a pi(a|s) P(t|s,a) *)
Definition kernel_pi (M : mdp) (pi : policy) (s t : nat) : Q :=
  sum_to (fun a => pol pi s a * nth t (nominal M s a) 0) (nA M).

(* (A B)(i,j) for n x n matrices given as functions *)
Definition mat_mul (n : nat) (A B : nat -> nat -> Q) (i j : nat) : Q := sum_to (fun k => A i k * B k j) n.

Definition is_inverse (n : nat) (A R : nat -> nat -> Q) : Prop :=
  forall i j, (i < n)%nat -> (j < n)%nat -> mat_mul n A R i j == delta i j /\ mat_mul n R A i j == delta i j.

(* R = (I - gamma P^pi)^{-1} *)
Definition is_resolvent (M : mdp) (pi : policy) (R : nat -> nat -> Q) : Prop :=
  is_inverse (nS M) (fun i j => delta i j - gamma M * kernel_pi M pi i j) R.

(* d_s^pi(t) = (1 - gamma) R(s,t): row s of (1 - gamma)(I - gamma P^pi)^{-1} *)
Definition occupancy (M : mdp) (R : nat -> nat -> Q) (s t : nat) : Q := (1 - gamma M) * R s t.

(* max_{k < n} f k (0 for n = 0; used on non-negative f) *)
Fixpoint max_to (f : nat -> Q) (n : nat) : Q :=
  match n with O => 0 | S n' => qmax (max_to f n') (f n') end.

(* induced 1-norm of a matrix acting on columns: the maximum column sum of |X| *)
Definition col_norm (n : nat) (X : nat -> nat -> Q) : Q := max_to (fun t => sum_to (fun s => Qabs (X s t)) n) n.

Definition valid_mdp (M : mdp) : Prop :=
  valid_discount M /\
  forall s a, (s < nS M)%nat -> (a < nA M)%nat -> is_distribution (nS M) (nominal M s a).

Definition valid_policy (M : mdp) (pi : policy) : Prop :=
  forall s, (s < nS M)%nat ->
    (forall a, (a < nA M)%nat -> 0 <= pol pi s a) /\ sum_to (pol pi s) (nA M) == 1.

(* resolvent-norm:b   ||(I - gamma P^pi)^{-1}||_1 <= 1/(1 - gamma), column reading *)
Definition resolvent_norm_b : Prop :=
  forall M pi R, valid_mdp M -> valid_policy M pi -> is_resolvent M pi R ->
    col_norm (nS M) R <= 1 / (1 - gamma M).

(* occupancy-difference, as the notes write it (entry t of the column vector on the right):
   d_s^{pi'} - d_s^pi = (1-gamma) gamma (I - gamma P^{pi'})^{-1} (P^pi - P^{pi'}) (I - gamma P^pi)^{-1} e_s *)
Definition occupancy_difference : Prop :=
  forall M pi pi' R R', valid_mdp M -> valid_policy M pi -> valid_policy M pi' ->
    is_resolvent M pi R -> is_resolvent M pi' R' ->
    forall s t, (s < nS M)%nat -> (t < nS M)%nat ->
      occupancy M R' s t - occupancy M R s t ==
      (1 - gamma M) * gamma M *
        mat_mul (nS M) (mat_mul (nS M) R' (fun i j => kernel_pi M pi i j - kernel_pi M pi' i j)) R t s.

(* occupancy-lipschitz:b   ||d_s^{pi'} - d_s^pi||_1 <= gamma/(1-gamma) ||P^{pi'} - P^pi||_1, column norm *)
Definition occupancy_lipschitz_b : Prop :=
  forall M pi pi' R R', valid_mdp M -> valid_policy M pi -> valid_policy M pi' ->
    is_resolvent M pi R -> is_resolvent M pi' R' ->
    forall s, (s < nS M)%nat ->
      sum_to (fun t => Qabs (occupancy M R' s t - occupancy M R s t)) (nS M) <=
      gamma M / (1 - gamma M) * col_norm (nS M) (fun i j => kernel_pi M pi' i j - kernel_pi M pi i j).

(* ---------- checker ---------- *)

Inductive refuted_claim := ResolventNormB | OccupancyDifference | OccupancyLipschitzB.

Definition claim_of (k : refuted_claim) : Prop :=
  match k with
  | ResolventNormB => resolvent_norm_b
  | OccupancyDifference => occupancy_difference
  | OccupancyLipschitzB => occupancy_lipschitz_b
  end.

Record refutation := {
  rf_M : mdp; rf_pi : policy; rf_pi' : policy;
  rf_R : list (list Q);      (* (I - gamma P^pi)^{-1} *)
  rf_R' : list (list Q) }.   (* (I - gamma P^{pi'})^{-1} *)

Definition matrix (X : list (list Q)) (i j : nat) : Q := at2 0 X i j.

Definition all_below (n : nat) (f : nat -> bool) : bool := forallb f (seq 0 n).
Definition some_below (n : nat) (f : nat -> bool) : bool := existsb f (seq 0 n).

Definition check_valid_mdp (M : mdp) : bool :=
  check_discount M &&
  all_below (nS M) (fun s => all_below (nA M) (fun a => check_distribution (nS M) (nominal M s a))).

Definition check_valid_policy (M : mdp) (pi : policy) : bool :=
  all_below (nS M) (fun s =>
    all_below (nA M) (fun a => Qle_bool 0 (pol pi s a)) && Qeq_bool (sum_to (pol pi s) (nA M)) 1).

Definition check_inverse (n : nat) (A R : nat -> nat -> Q) : bool :=
  all_below n (fun i => all_below n (fun j =>
    Qeq_bool (mat_mul n A R i j) (delta i j) && Qeq_bool (mat_mul n R A i j) (delta i j))).

Definition check_resolvent (M : mdp) (pi : policy) (R : nat -> nat -> Q) : bool :=
  check_inverse (nS M) (fun i j => delta i j - gamma M * kernel_pi M pi i j) R.

Definition check_refutation (k : refuted_claim) (C : refutation) : bool :=
  let M := rf_M C in let n := nS M in
  let R := matrix (rf_R C) in let R' := matrix (rf_R' C) in
  check_valid_mdp M && check_valid_policy M (rf_pi C) && check_resolvent M (rf_pi C) R &&
  match k with
  | ResolventNormB => negb (Qle_bool (col_norm n R) (1 / (1 - gamma M)))
  | OccupancyDifference =>
      check_valid_policy M (rf_pi' C) && check_resolvent M (rf_pi' C) R' &&
      some_below n (fun s => some_below n (fun t =>
        negb (Qeq_bool (occupancy M R' s t - occupancy M R s t)
                       ((1 - gamma M) * gamma M *
                        mat_mul n (mat_mul n R' (fun i j => kernel_pi M (rf_pi C) i j - kernel_pi M (rf_pi' C) i j)) R t s))))
  | OccupancyLipschitzB =>
      check_valid_policy M (rf_pi' C) && check_resolvent M (rf_pi' C) R' &&
      some_below n (fun s =>
        negb (Qle_bool (sum_to (fun t => Qabs (occupancy M R' s t - occupancy M R s t)) n)
                       (gamma M / (1 - gamma M) *
                        col_norm n (fun i j => kernel_pi M (rf_pi' C) i j - kernel_pi M (rf_pi C) i j))))
  end.

(* ---------- soundness ---------- *)

Lemma check_valid_mdp_sound M : check_valid_mdp M = true -> valid_mdp M.
Proof.
  unfold check_valid_mdp, check_discount, all_below. intros H. split_andb.
  split; [split; [assumption|]|].
  - apply Qnot_le_lt. intro C1. apply Qle_bool_iff in C1. rewrite C1 in H1. discriminate.
  - intros s a Hs Ha. apply check_distribution_sound.
    exact (forallb_seq _ _ (forallb_seq _ _ H0 s Hs) a Ha).
Qed.

Lemma check_valid_policy_sound M pi : check_valid_policy M pi = true -> valid_policy M pi.
Proof.
  unfold check_valid_policy, all_below. intros H s Hs.
  pose proof (forallb_seq _ _ H s Hs) as E. cbv beta in E. split_andb. split.
  - intros a Ha. apply Qle_bool_true. exact (forallb_seq _ _ H0 a Ha).
  - exact H1.
Qed.

Lemma check_resolvent_sound M pi R : check_resolvent M pi R = true -> is_resolvent M pi R.
Proof.
  unfold check_resolvent, check_inverse, all_below. intros H i j Hi Hj.
  pose proof (forallb_seq _ _ (forallb_seq _ _ H i Hi) j Hj) as E. cbv beta in E. split_andb. auto.
Qed.

Lemma some_below_sound n f : some_below n f = true -> exists i, (i < n)%nat /\ f i = true.
Proof.
  unfold some_below. intros H. apply existsb_exists in H. destruct H as [i [Hi E]].
  apply in_seq in Hi. exists i. split; [lia|exact E].
Qed.

Lemma negb_Qle_bool x y : negb (Qle_bool x y) = true -> y < x.
Proof.
  intros H. apply Qnot_le_lt. intro C1. apply Qle_bool_iff in C1. rewrite C1 in H. discriminate.
Qed.

Lemma negb_Qeq_bool x y : negb (Qeq_bool x y) = true -> ~ x == y.
Proof.
  intros H C1. apply Qeq_bool_iff in C1. rewrite C1 in H. discriminate.
Qed.

(* The soundness theorem: an accepted refutation certificate proves the claim false. *)
Theorem check_refutation_sound (k : refuted_claim) (C : refutation) :
  check_refutation k C = true -> ~ claim_of k.
Proof.
  unfold check_refutation. intros H. split_andb.
  apply check_valid_mdp_sound in H. apply check_valid_policy_sound in H2.
  apply check_resolvent_sound in H1.
  destruct k; simpl; intros Claim.
  - apply negb_Qle_bool in H0.
    pose proof (Claim _ _ _ H H2 H1). lra.
  - split_andb. apply check_valid_policy_sound in H0. apply check_resolvent_sound in H4.
    apply some_below_sound in H3. destruct H3 as [s [Hs E]].
    apply some_below_sound in E. destruct E as [t [Ht E]].
    apply negb_Qeq_bool in E. apply E.
    exact (Claim _ _ _ _ _ H H2 H0 H1 H4 s t Hs Ht).
  - split_andb. apply check_valid_policy_sound in H0. apply check_resolvent_sound in H4.
    apply some_below_sound in H3. destruct H3 as [s [Hs E]].
    apply negb_Qle_bool in E.
    pose proof (Claim _ _ _ _ _ H H2 H0 H1 H4 s Hs). lra.
Qed.
